import { randomBytes } from 'node:crypto';
import { chmod, link, readFile, unlink, writeFile } from 'node:fs/promises';

/**
 * The local key provider: a 32-byte key in a file only its owner can read (0600), made on first
 * use. The local stack keeps it in its 0700 data directory, next to the database it protects
 * (which guards against a copied database or backup, not against someone who can read the data
 * directory). In the cloud the key must come from KMS instead: see docs/security.md.
 */
const loadKeyFile = async (path: string): Promise<Buffer> => {
  try {
    const text = (await readFile(path, 'utf8')).trim();
    const key = Buffer.from(text, 'base64url');
    if (key.length !== 32) throw new Error(`${path} does not hold a 32-byte base64url key`);
    await chmod(path, 0o600);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    // Written whole to a temporary file, then linked into place: link fails if the file exists,
    // so two processes starting at once agree on one key and no one reads a half-written file.
    const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}`;
    await writeFile(temporary, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
    try {
      await link(temporary, path);
    } catch (linkError) {
      if ((linkError as NodeJS.ErrnoException).code !== 'EEXIST') throw linkError;
    } finally {
      await unlink(temporary);
    }
    return loadKeyFile(path);
  }
};

export { loadKeyFile };
