import type { CommandContext } from '../command.js';
import { CliError, EXIT_CODES } from '../exit-codes.js';
import { type ClusterView, getCluster } from './api.js';
import type { Connection } from './connection.js';
import { str } from './output.js';

/** `--wait` and `--timeout`, the same on every command that can wait. */
const TIMEOUT_OPTIONS = {
  wait: { type: 'boolean', description: 'wait until it is done, showing progress' },
  timeout: {
    type: 'string',
    value: '<seconds>',
    description: 'give up waiting after (default 3600)',
  },
} as const;

/** `--timeout` in milliseconds (default an hour), or a usage error. */
const timeoutMs = (context: CommandContext): number => {
  const text = str(context, 'timeout') ?? '3600';
  if (!/^\d+$/.test(text)) throw new CliError(EXIT_CODES.usage, '--timeout is a number of seconds');
  return Number(text) * 1000;
};

const SETTLED = new Set(['running', 'failed', 'deleted', 'cancelled']);

const seconds = (ms: number): string => `${Math.round(ms / 1000)}s`;

/** One line saying where the cluster stands: state, stage n/N and the elapsed time. */
const statusLine = (cluster: ClusterView, elapsedMs: number): string => {
  const p = cluster.progress;
  const stage = p?.stage
    ? ` · stage ${Math.min(p.completedStages + 1, p.totalStages)}/${p.totalStages} ${p.stage}`
    : '';
  const bar = p
    ? ` [${'#'.repeat(p.completedStages)}${'.'.repeat(Math.max(0, p.totalStages - p.completedStages))}]`
    : '';
  return `${cluster.name} ${cluster.state}${bar}${stage} · ${seconds(elapsedMs)}`;
};

/**
 * Polls the cluster until its state is one of `until` (or settled), printing progress on stderr:
 * on a terminal one redrawn line, otherwise a line each time something changes.
 */
const waitForCluster = async (
  context: CommandContext,
  connection: Connection,
  id: string,
  options: { until: readonly string[]; timeoutMs: number; everyMs?: number },
): Promise<ClusterView> => {
  const started = Date.now();
  let last = '';
  for (;;) {
    const cluster = await getCluster(connection, id);
    const line = statusLine(cluster, Date.now() - started);
    const key = line.replace(/ · \d+s$/, '');
    if (context.interactive) context.stderr(`\r\x1b[K${line}`);
    else if (key !== last) context.stderr(`${line}\n`);
    last = key;
    if (options.until.includes(cluster.state) || SETTLED.has(cluster.state)) {
      if (context.interactive) context.stderr('\n');
      return cluster;
    }
    if (Date.now() - started > options.timeoutMs) {
      if (context.interactive) context.stderr('\n');
      throw new CliError(
        EXIT_CODES.timedOut,
        `${id} is still ${cluster.state} after ${seconds(options.timeoutMs)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 1000));
  }
};

export { statusLine, TIMEOUT_OPTIONS, timeoutMs, waitForCluster };
