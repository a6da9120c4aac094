import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPACT_EVERY } from '../../emulator/mns/state-file.js';
import { MnsStore } from '../../emulator/mns/store.js';
import { defaultQueueAttributes } from '../../emulator/mns/validators.js';
import { tempDir } from '../support/emulator-harness.js';

const NOW = Date.UTC(2026, 0, 1);
const storeOn = (stateFile: string) => new MnsStore({ now: () => NOW, stateFile });
const journalLines = (stateFile: string) =>
  readFileSync(`${stateFile}.journal`, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
const bodies = (store: MnsStore, queue: string) =>
  store.peek(queue, 16).map((message) => message.body);

describe('MNS emulator state on disk (snapshot + journal)', () => {
  it('writes one journal line per change, holding only the queue that changed', () => {
    const stateFile = join(tempDir('mns-journal-'), 'state.json');
    const store = storeOn(stateFile);
    store.createQueue('a', defaultQueueAttributes(30));
    store.createQueue('b', defaultQueueAttributes(30));
    const snapshot = existsSync(stateFile) ? statSync(stateFile).mtimeMs : undefined;
    store.send('b', { body: 'one' });
    const lines = journalLines(stateFile);
    expect(lines).toHaveLength(3);
    const last: unknown = JSON.parse(lines[2] ?? '');
    expect(last).toMatchObject({ n: 3, queue: { name: 'b', messages: [{ body: 'one' }] } });
    // The snapshot is not rewritten by a change.
    expect(existsSync(stateFile) ? statSync(stateFile).mtimeMs : undefined).toBe(snapshot);
  });

  it('restores every change after a restart, including a deleted queue', () => {
    const stateFile = join(tempDir('mns-journal-'), 'state.json');
    const before = storeOn(stateFile);
    before.createQueue('a', defaultQueueAttributes(30));
    before.createQueue('gone', defaultQueueAttributes(30));
    before.send('a', { body: 'one' });
    before.send('a', { body: 'two' });
    const [received] = before.receive('a', 1);
    before.deleteMessage('a', received?.receiptHandle ?? '');
    before.deleteQueue('gone');

    const after = storeOn(stateFile);
    expect(after.queueNames()).toEqual(['a']);
    expect(bodies(after, 'a')).toEqual(['two']);
    // The sequence carries on: a new message sorts after the restored one.
    after.send('a', { body: 'three' });
    expect(bodies(after, 'a')).toEqual(['two', 'three']);
  });

  it('drops a last line cut short by kill -9 and keeps appending whole lines after it', () => {
    const stateFile = join(tempDir('mns-journal-'), 'state.json');
    const before = storeOn(stateFile);
    before.createQueue('a', defaultQueueAttributes(30));
    before.send('a', { body: 'one' });
    appendFileSync(`${stateFile}.journal`, '{"n":3,"sequence":2,"queue":{"na');

    const after = storeOn(stateFile);
    expect(bodies(after, 'a')).toEqual(['one']);
    after.send('a', { body: 'two' });
    expect(bodies(storeOn(stateFile), 'a')).toEqual(['one', 'two']);
  });

  it('refuses a journal with a bad line before its end, as it refuses a corrupt snapshot', () => {
    const stateFile = join(tempDir('mns-journal-'), 'state.json');
    writeFileSync(`${stateFile}.journal`, 'not json\n');
    expect(() => storeOn(stateFile)).toThrow(/journal .* line 1 is not readable JSON/);
  });

  it('compacts into the snapshot and never replays an entry the snapshot already holds', () => {
    const stateFile = join(tempDir('mns-journal-'), 'state.json');
    const store = storeOn(stateFile);
    store.createQueue('a', defaultQueueAttributes(30));
    for (let index = 1; index < COMPACT_EVERY; index += 1) store.send('a', { body: `m${index}` });
    // The COMPACT_EVERY-th change wrote the snapshot and emptied the journal.
    expect(journalLines(stateFile)).toEqual([]);
    const snapshot: unknown = JSON.parse(readFileSync(stateFile, 'utf8'));
    expect(snapshot).toMatchObject({ version: 1, journaled: COMPACT_EVERY });
    // A crash between the snapshot's rename and the journal's truncation: the old entries are
    // still in the journal, and must not be applied again over the newer snapshot.
    writeFileSync(
      `${stateFile}.journal`,
      `${JSON.stringify({ n: COMPACT_EVERY, sequence: 0, deleted: 'a' })}\n`,
    );
    const after = storeOn(stateFile);
    expect(after.queueNames()).toEqual(['a']);
    expect(after.peek('a', 16)).toHaveLength(16);
    expect(after.getQueue('a').counts.active).toBe(COMPACT_EVERY - 1);
  });
});
