import { spawn, spawnSync } from 'node:child_process';

/**
 * Instructions a whole `node` process executes, counted by valgrind's callgrind (every thread,
 * serialised). Unlike wall or CPU time it barely moves with the machine's load (the same script
 * counts the same within about half a percent, loaded or idle), so it shows what a change removed
 * from a cold start where the wall-time medians of a shared machine swing by tens of percent. The
 * process runs 20–50× slower under valgrind: one run per script, two at a time.
 */
interface NodeRun {
  label: string;
  flags: string[];
  script: string;
}

const valgrindMissing = (): string | undefined => {
  const probe = spawnSync('valgrind', ['--version'], { stdio: 'ignore' });
  return probe.status === 0 ? undefined : 'valgrind is not installed (apt-get install valgrind)';
};

const countOne = (run: NodeRun, env: Record<string, string>): Promise<number> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      'valgrind',
      [
        '--tool=callgrind',
        '--callgrind-out-file=/dev/null',
        process.execPath,
        ...run.flags,
        '-e',
        run.script,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH ?? '', ...env } },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (status) => {
      const collected = /Collected\s*:\s*(\d+)/.exec(stderr)?.[1];
      if (status !== 0 || collected === undefined) {
        reject(new Error(`${run.label} under valgrind failed (${status}): ${stderr.slice(-600)}`));
        return;
      }
      resolve(Number(collected));
    });
  });

/** Each run's instruction count, by label, two processes at a time (the machine's two cores). */
const countInstructions = async (
  runs: readonly NodeRun[],
  env: Record<string, string>,
): Promise<Map<string, number>> => {
  const counts = new Map<string, number>();
  const queue = [...runs];
  const lane = async () => {
    for (let run = queue.shift(); run !== undefined; run = queue.shift()) {
      counts.set(run.label, await countOne(run, env));
    }
  };
  await Promise.all([lane(), lane()]);
  return counts;
};

export type { NodeRun };
export { countInstructions, valgrindMissing };
