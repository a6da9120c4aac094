import { parseArgs } from 'node:util';
import type { Env } from '../shared/config.js';
import type { Command, CommandGroup, OptionValues } from './command.js';
import { COMMANDS } from './commands/index.js';
import { CliError, EXIT_CODES, type ExitCode } from './exit-codes.js';

interface CliIo {
  env: Env;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stderr is a terminal (progress may redraw a line); false unless said. */
  interactive?: boolean;
}

type Node = Command | CommandGroup;

const isHelp = (word: string | undefined): boolean =>
  word === '--help' || word === '-h' || word === 'help';

const groupHelp = (path: string[], group: CommandGroup): string => {
  const width = Math.max(...group.children.map((child) => child.name.length));
  return [
    `${path.join(' ')} — ${group.summary}`,
    '',
    `usage: ${path.join(' ')} <command> [options]`,
    '',
    ...group.children.map((child) => `  ${child.name.padEnd(width)}  ${child.summary}`),
    '',
    `"${path.join(' ')} <command> --help" describes a command. Exit codes: docs/cli.md.`,
    '',
  ].join('\n');
};

const commandHelp = (path: string[], command: Command): string => {
  const rows = Object.entries(command.options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.value ? ` ${spec.value}` : ''}`;
    const env = spec.env ? ` [env ${spec.env}]` : '';
    return [flag, `${spec.description}${env}`] as const;
  });
  const width = Math.max(0, ...rows.map(([flag]) => flag.length));
  return [
    `${path.join(' ')} — ${command.summary}`,
    '',
    `usage: ${path.join(' ')}${command.args ? ` ${command.args}` : ''} [options]`,
    '',
    ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`),
    '',
  ].join('\n');
};

/** Walks the tree: the deepest node the words name, and the words left for its options. */
const resolve = (words: string[]): { node: Node; path: string[]; rest: string[] } => {
  let node: Node = COMMANDS;
  const path = [COMMANDS.name];
  let index = 0;
  while (node.kind === 'group' && index < words.length) {
    const word = words[index];
    if (word === undefined || word.startsWith('-') || isHelp(word)) break;
    const child: Node | undefined = node.children.find((candidate) => candidate.name === word);
    if (!child) {
      throw new CliError(
        EXIT_CODES.usage,
        `unknown command "${[...path, word].join(' ')}"; "${path.join(' ')} --help" lists the commands`,
      );
    }
    node = child;
    path.push(word);
    index += 1;
  }
  return { node, path, rest: words.slice(index) };
};

const parseOptions = (
  path: string[],
  command: Command,
  args: string[],
): { values: OptionValues; positionals: string[] } => {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: Object.fromEntries(
        Object.entries(command.options).map(([name, spec]) => [
          name,
          spec.short ? { type: spec.type, short: spec.short } : { type: spec.type },
        ]),
      ),
      allowPositionals: command.args !== undefined,
      strict: true,
    });
    return { values, positionals };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : 'invalid options';
    throw new CliError(
      EXIT_CODES.usage,
      `${path.join(' ')}: ${reason}; "${path.join(' ')} --help" lists its options`,
    );
  }
};

/** Runs one command line; resolves to the exit code (it never throws and never exits). */
const runCli = async (argv: readonly string[], io: CliIo): Promise<ExitCode> => {
  try {
    const { node, path, rest } = resolve([...argv]);
    if (node.kind === 'group') {
      const asked = rest.length === 0 || isHelp(rest[0]);
      (asked ? io.stdout : io.stderr)(groupHelp(path, node));
      return asked ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    if (rest.some(isHelp)) {
      io.stdout(commandHelp(path, node));
      return EXIT_CODES.ok;
    }
    const { values: options, positionals } = parseOptions(path, node, rest);
    await node.run({
      options,
      env: io.env,
      stdout: io.stdout,
      stderr: io.stderr,
      positionals,
      interactive: io.interactive ?? false,
    });
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`askp: ${error.message}\n`);
      return error.exitCode;
    }
    // Not a failure we expected: say so without printing internals that could hold a secret.
    io.stderr(
      `askp: unexpected failure (${error instanceof Error ? error.name : typeof error}); rerun with ASKP_DEBUG=1 for the stack\n`,
    );
    if (io.env.ASKP_DEBUG === '1' && error instanceof Error) io.stderr(`${error.stack ?? ''}\n`);
    return EXIT_CODES.failed;
  }
};

export type { CliIo };
export { runCli };
