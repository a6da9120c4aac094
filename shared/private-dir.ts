import { chmod, mkdir } from 'node:fs/promises';

/**
 * A directory only its owner can read: the local data directory holds the admin API key, the
 * webhook secret, the key that encrypts secrets at rest and the database files. Created 0700, and
 * tightened to 0700 when it already exists (a directory from an older version, or one made by
 * hand with the umask's 0755).
 */
const ensurePrivateDir = async (path: string): Promise<void> => {
  await mkdir(path, { recursive: true, mode: 0o700 });
  await chmod(path, 0o700);
};

export { ensurePrivateDir };
