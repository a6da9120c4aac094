import type { Env } from '../shared/config.js';

/** An option a command takes; `env` names the variable it falls back to. */
interface OptionSpec {
  type: 'string' | 'boolean';
  description: string;
  env?: string;
  /** The placeholder shown in help, e.g. `<url>`. */
  value?: string;
  /** A one-letter alias, e.g. `o` for `-o`. */
  short?: string;
}

type OptionValues = Readonly<Record<string, string | boolean | undefined>>;

/** What a command may touch: its options, the environment and the two output streams. */
interface CommandContext {
  options: OptionValues;
  env: Env;
  /** The command's result, for scripts (e.g. the API key alone). */
  stdout: (text: string) => void;
  /** Progress and explanations, for people. */
  stderr: (text: string) => void;
  /** The words after the command and its options (`askp get <id>`); empty unless it takes `args`. */
  positionals: readonly string[];
  /** stderr is a terminal: progress may redraw one line. Plain lines otherwise. */
  interactive: boolean;
}

interface Command {
  kind: 'command';
  name: string;
  summary: string;
  options: Readonly<Record<string, OptionSpec>>;
  /** Positional words it takes, for help (e.g. `<id>`); without it, none are allowed. */
  args?: string;
  run(context: CommandContext): Promise<void>;
}

/**
 * A group of commands (`askp admin …`). The tree's root holds groups and, later, the user
 * commands (`askp create`, `askp get`, …) side by side: a path is resolved word by word.
 */
interface CommandGroup {
  kind: 'group';
  name: string;
  summary: string;
  children: readonly (Command | CommandGroup)[];
}

/** The string value of an option, or its environment variable, or undefined when neither is set. */
const stringOption = (
  context: CommandContext,
  name: string,
  spec: OptionSpec,
): string | undefined => {
  const value = context.options[name];
  if (typeof value === 'string' && value !== '') return value;
  const fromEnv = spec.env === undefined ? undefined : context.env[spec.env];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
};

export type { Command, CommandContext, CommandGroup, OptionSpec, OptionValues };
export { stringOption };
