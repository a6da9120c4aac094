import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  type ApiCaller,
  type ApiReply,
  clusterShape,
  jsonOf,
  problemOf,
  provisionTenant,
} from '../support/api-client.js';
import { type ApiStack, manualClock, startApiStack } from '../support/api-stack.js';

/**
 * Idempotency-Key on POST /v1/clusters, black-box over HTTP (and in-process on the same store
 * where a test needs its own clock or a failing store): concurrent duplicates make one provision
 * and one queue message, replays are byte-identical, another body is 422, a key in flight is 409,
 * an expired key is a new request, and a failure of ours lets the key go.
 */
const HOUR = 3_600_000;

describe('Idempotency-Key', () => {
  let env: ApiStack;
  let api: ApiCaller;
  let key: string;
  let tenantId: string;

  const sends = () => env.stack.mns.stats().SendMessage ?? 0;

  const create = (call: ApiCaller, idempotencyKey: string, body: unknown) =>
    call({
      method: 'POST',
      path: '/v1/clusters',
      key,
      headers: { 'idempotency-key': idempotencyKey, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  const countWithLabel = async (run: string): Promise<number> => {
    const reply = await api({
      method: 'GET',
      path: '/v1/clusters',
      key,
      query: { label: `run=${run}`, limit: '100' },
    });
    return jsonOf(reply, z.object({ items: z.array(clusterShape) }).loose()).items.length;
  };

  /** The parts of a reply a replay must repeat exactly. */
  const replayable = (reply: ApiReply) => ({
    status: reply.status,
    body: reply.body,
    location: reply.headers.location,
    contentType: reply.headers['content-type'],
  });

  beforeAll(async () => {
    env = await startApiStack({
      ASKP_RATE_LIMIT_PER_SECOND: '10000',
      ASKP_RATE_LIMIT_BURST: '10000',
    });
    api = env.api;
    const tenant = await provisionTenant(api, env.adminKey, {
      name: 'idempotency',
      keys: { all: ['clusters:read', 'clusters:write'] },
    });
    key = tenant.keys.all ?? '';
    tenantId = tenant.id;
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('turns 50 concurrent creates with one key into one provision and one queue message', async () => {
    const body = { name: 'fifty', region: 'cn-hangzhou', labels: { run: 'fifty' } };
    const sentBefore = sends();
    const replies = await Promise.all(
      Array.from({ length: 50 }, () => create(api, '"fifty-at-once"', body)),
    );
    const accepted = replies.filter((reply) => reply.status === 202);
    const conflicts = replies.filter((reply) => reply.status === 409);
    expect(accepted.length + conflicts.length).toBe(50);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    for (const conflict of conflicts) {
      expect(problemOf(conflict).code).toBe('IDEMPOTENCY_IN_FLIGHT');
      expect(conflict.headers['retry-after']).toBe('1');
    }
    const originals = accepted.filter((reply) => reply.headers['idempotent-replayed'] !== 'true');
    expect(originals).toHaveLength(1);
    const original = originals[0];
    if (!original) throw new Error('no original response');
    for (const reply of accepted) expect(replayable(reply)).toEqual(replayable(original));

    expect(await countWithLabel('fifty')).toBe(1);
    expect(sends() - sentBefore).toBe(1);

    const late = await create(api, '"fifty-at-once"', body);
    expect(late.headers['idempotent-replayed']).toBe('true');
    expect(replayable(late)).toEqual(replayable(original));
    expect(sends() - sentBefore).toBe(1);
  });

  it('answers 422 for the same key with another body, but replays the same body however written', async () => {
    const body = { name: 'bodies', region: 'cn-hangzhou', labels: { run: 'bodies', a: '1' } };
    const first = await create(api, '"bodies"', body);
    expect(first.status).toBe(202);
    const reordered = `{ "labels": { "a": "1", "run": "bodies" },\n  "region": "cn-hangzhou", "name": "bodies" }`;
    const same = await create(api, '"bodies"', reordered);
    expect(same.headers['idempotent-replayed']).toBe('true');
    expect(replayable(same)).toEqual(replayable(first));
    const other = await create(api, '"bodies"', { ...body, name: 'different' });
    expect(other.status).toBe(422);
    expect(problemOf(other)).toMatchObject({
      code: 'IDEMPOTENCY_KEY_MISMATCH',
      field: 'Idempotency-Key',
    });
    expect(await countWithLabel('bodies')).toBe(1);
  });

  it('takes a bare token as the same key as its quoted form', async () => {
    const body = { name: 'bare', region: 'cn-hangzhou', labels: { run: 'bare' } };
    const quoted = await create(api, '"bare-token-1"', body);
    const bare = await create(api, 'bare-token-1', body);
    expect(bare.headers['idempotent-replayed']).toBe('true');
    expect(bare.body).toBe(quoted.body);
  });

  it('stores and replays a client error, and holds the key to that body', async () => {
    const bad = { name: '-bad', region: 'cn-hangzhou' };
    const first = await create(api, '"client-error"', bad);
    expect(first.status).toBe(400);
    const again = await create(api, '"client-error"', bad);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(replayable(again)).toEqual(replayable(first));
    const fixed = await create(api, '"client-error"', { ...bad, name: 'good' });
    expect(problemOf(fixed).code).toBe('IDEMPOTENCY_KEY_MISMATCH');
  });

  it('refuses a malformed key before doing anything', async () => {
    const sentBefore = sends();
    for (const header of ['"open', '"a","b"', `"${'x'.repeat(256)}"`, '""', 'two words']) {
      const reply = await create(api, header, { name: 'never', region: 'cn-hangzhou' });
      expect(reply.status).toBe(400);
      expect(problemOf(reply).field).toBe('Idempotency-Key');
    }
    expect(sends()).toBe(sentBefore);
  });

  it('keeps a key 24 hours, then treats it as new', async () => {
    const body = { name: 'expiry', region: 'cn-hangzhou', labels: { run: 'expiry' } };
    const first = await create(api, '"expiry"', body);
    const firstId = jsonOf(first, clusterShape).id;
    const almost = env.inProcess({ clock: manualClock(new Date(Date.now() + 23.9 * HOUR)) });
    const replayed = await create(almost, '"expiry"', body);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body).toBe(first.body);

    const sentBefore = sends();
    const later = env.inProcess({ clock: manualClock(new Date(Date.now() + 24 * HOUR + 60_000)) });
    const fresh = await create(later, '"expiry"', body);
    expect(fresh.status).toBe(202);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
    expect(jsonOf(fresh, clusterShape).id).not.toBe(firstId);
    expect(sends() - sentBefore).toBe(1);
    expect(await countWithLabel('expiry')).toBe(2);
  });

  it('lets the key go after a failure of ours, so the retry creates the cluster', async () => {
    const body = { name: 'failing', region: 'cn-hangzhou', labels: { run: 'failing' } };
    const failing = env.inProcess({
      store: {
        ...env.stack.store,
        createProvision: async () => {
          throw new Error('the database went away');
        },
      },
    });
    const failed = await create(failing, '"after-500"', body);
    expect(failed.status).toBe(500);
    expect(await countWithLabel('failing')).toBe(0);
    const retried = await create(api, '"after-500"', body);
    expect(retried.status).toBe(202);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(await countWithLabel('failing')).toBe(1);
  });

  it('answers 422, not 409, for another body under a key another instance holds', async () => {
    const body = { name: 'held', region: 'cn-hangzhou' };
    await env.stack.store.beginIdempotentRequest({
      claim: { tenantId, key: 'held', owner: 'another-instance' },
      fingerprint: 'whatever-it-was',
      now: new Date(),
      lockedUntil: new Date(Date.now() + HOUR),
      expiresAt: new Date(Date.now() + 24 * HOUR),
    });
    // Another body under a held key is still a misuse of the key: 422 before 409.
    expect(problemOf(await create(api, '"held"', body)).code).toBe('IDEMPOTENCY_KEY_MISMATCH');
  });
});
