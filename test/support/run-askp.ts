import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Runs the real `askp` binary (cli/askp.mjs, package.json's bin) as a child process, the way an
 * operator's shell or s.yaml's pre-deploy action does, with exactly the environment given (plus
 * PATH and HOME).
 */
interface AskpResult {
  code: number;
  stdout: string;
  stderr: string;
}

const ASKP = resolve(import.meta.dirname, '../../cli/askp.mjs');

const runAskp = (args: readonly string[], env: Record<string, string> = {}): Promise<AskpResult> =>
  new Promise((done) => {
    execFile(
      process.execPath,
      [ASKP, ...args],
      {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
        timeout: 120_000,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        done({ code, stdout, stderr });
      },
    );
  });

export type { AskpResult };
export { ASKP, runAskp };
