import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadKeyFile } from '../../shared/secrets/key-file.js';
import { createSecretBox, isSealed } from '../../shared/secrets/secret-box.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the secret box (webhook secrets at rest)', () => {
  const box = createSecretBox(Buffer.alloc(32, 9));
  const secret = 'whsec_c2VjcmV0LXNpZ25pbmcta2V5LWZvci10ZXN0cw==';

  it('seals to something that does not hold the secret, and opens it again', () => {
    const sealed = box.seal(secret);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain(secret);
    expect(sealed).not.toContain(secret.slice(6, 20));
    expect(box.open(sealed)).toBe(secret);
    // A fresh IV each time: equal secrets do not look equal at rest.
    expect(box.seal(secret)).not.toBe(sealed);
  });

  it('reads a value stored before sealing existed as it is', () => {
    expect(box.open(secret)).toBe(secret);
  });

  it('refuses a sealed value that was edited, or sealed under another key', () => {
    const sealed = box.seal(secret);
    // Flip a bit of the ciphertext itself: the last base64url character may carry only padding
    // bits, so editing it does not always change the bytes.
    const prefix = sealed.slice(0, sealed.lastIndexOf(':') + 1);
    const raw = Buffer.from(sealed.slice(prefix.length), 'base64url');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => box.open(`${prefix}${raw.toString('base64url')}`)).toThrow();
    expect(() => createSecretBox(Buffer.alloc(32, 1)).open(sealed)).toThrow();
  });
});

describe('the local key file', () => {
  it('is made on first use with mode 0600, and the same key is read back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'askp-key-'));
    dirs.push(dir);
    const path = join(dir, 'secrets.key');
    const first = await loadKeyFile(path);
    expect(first).toHaveLength(32);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await loadKeyFile(path)).toEqual(first);
    expect((await readFile(path, 'utf8')).trim()).toBe(first.toString('base64url'));
  });

  it('gives two loaders racing on a new file the same key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'askp-key-'));
    dirs.push(dir);
    const path = join(dir, 'secrets.key');
    const [a, b] = await Promise.all([loadKeyFile(path), loadKeyFile(path)]);
    expect(a).toEqual(b);
  });
});
