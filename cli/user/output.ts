import { stringify as toYaml } from 'yaml';
import type { CommandContext } from '../command.js';
import { CliError, EXIT_CODES } from '../exit-codes.js';

/**
 * How the user commands print: a table for people by default, `-o json|yaml` for scripts. Shared
 * by every user command so that `-o` means the same everywhere.
 */

/** A string option's value, or undefined when it is absent or empty. */
const str = (context: CommandContext, name: string): string | undefined => {
  const value = context.options[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** The single positional word a command takes (`askp get <id>`), or a usage error. */
const onlyArg = (context: CommandContext, usage: string): string => {
  const [arg, ...more] = context.positionals;
  if (!arg || more.length > 0) throw new CliError(EXIT_CODES.usage, `usage: ${usage}`);
  return arg;
};

/** Exactly two positional arguments (a cluster and what in it), or a usage error. */
const twoArgs = (context: CommandContext, usage: string): [string, string] => {
  const [first, second, ...more] = context.positionals;
  if (!first || !second || more.length > 0) throw new CliError(EXIT_CODES.usage, `usage: ${usage}`);
  return [first, second];
};

const OUTPUT = {
  output: {
    type: 'string',
    short: 'o',
    value: 'table|json|yaml',
    description: 'how to print the result (default table)',
  },
} as const;

const render = (context: CommandContext, value: unknown, table: () => string): void => {
  const format = str(context, 'output') ?? 'table';
  if (format === 'json') context.stdout(`${JSON.stringify(value, null, 2)}\n`);
  else if (format === 'yaml') context.stdout(toYaml(value));
  else if (format === 'table') context.stdout(table());
  else throw new CliError(EXIT_CODES.usage, `-o ${format}: use table, json or yaml`);
};

/** Rows as aligned columns, the first row being the header. */
const columns = (rows: string[][]): string => {
  const widths =
    rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  return `${rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
};

/** `5m`, `3h`, `in 20m`: how long ago (or until) an instant, for tables. */
const ago = (iso: string | null | undefined): string => {
  if (!iso) return '-';
  const ms = Date.now() - Date.parse(iso);
  const m = Math.floor(Math.abs(ms) / 60_000);
  const text =
    m < 1 ? `${Math.floor(Math.abs(ms) / 1000)}s` : m < 120 ? `${m}m` : `${Math.floor(m / 60)}h`;
  return ms >= 0 ? text : `in ${text}`;
};

export { ago, columns, OUTPUT, onlyArg, render, str, twoArgs };
