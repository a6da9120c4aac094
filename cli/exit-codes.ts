/**
 * `askp`'s exit codes, documented in docs/cli.md. Scripts (s.yaml's pre-deploy action, CI) branch
 * on them, so a code keeps its meaning once released.
 */
const EXIT_CODES = {
  /** Done (or nothing to do). */
  ok: 0,
  /** An unexpected failure: a bug, or a migration that failed (see the message). */
  failed: 1,
  /** The command line is wrong: unknown command or option, a required option missing. */
  usage: 2,
  /** Configuration: a bad or missing DATABASE_URL, endpoint or credentials, a password refused. */
  config: 3,
  /** A service could not be reached: the database or MNS did not answer. */
  unreachable: 4,
  /** Refused to act: e.g. the tenant already has an admin key (bootstrap without --another-key). */
  refused: 5,
  /** The database schema is behind this release: run `askp admin migrate` first. */
  schemaOutdated: 6,
  /** The cluster waited for failed (`create --wait`; the reason is printed). */
  clusterFailed: 7,
  /** The API refused the request (400, 403, 404, 409, 429…): its problem detail is printed. */
  apiError: 8,
  /** `--wait` gave up before the cluster got where it was going (`--timeout`). */
  timedOut: 9,
  /** `askp preflight` found a check that fails: the same create would fail (the findings are printed). */
  preflightFailed: 10,
  /**
   * A change after creation waited for failed (`upgrade --wait`, `endpoint --wait`): the reason is
   * printed; the cluster is running as it was before the change.
   */
  changeFailed: 11,
} as const;

type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** A failure the CLI reports as one line on stderr and an exit code; never carries a secret. */
class CliError extends Error {
  public readonly exitCode: ExitCode;

  public constructor(exitCode: ExitCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export type { ExitCode };
export { CliError, EXIT_CODES };
