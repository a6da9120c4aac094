import * as z from 'zod';
import { ACK_ACTIONS } from './actions.js';

/**
 * The fault objects the emulator accepts, from `injectFault`, the `faults` option, the
 * `/_emulator/faults` control endpoint and `ASKP_EMULATOR_FAULTS` alike (docs/emulator.md).
 *
 * Every fault may be scoped to an `action` (default: any) and fires `times` times (default once;
 * unlimited when it has a `rate` or a `namePattern`); with a `rate` (0..1) each matching request
 * draws from a PRNG seeded by `seed` (default: the emulator's seed plus the fault's position), so
 * a run with the same seed disturbs the same requests.
 *
 * Throttling answers `Throttling.User` with HTTP 400 and `x-acs-retry-after` (milliseconds, which
 * openapi-core reads into `ThrottlingError.retryAfter`). UNVERIFIED: Alibaba's common error
 * table lists Throttling.User as 400, but some gateways answer throttling with 429, and whether
 * ACK sends the header at all (and in which unit) is not documented; we send it so the retry
 * path that honours it is exercised.
 */

const scope = {
  action: z.enum(ACK_ACTIONS).optional(),
  times: z.int().min(1).optional(),
  rate: z.number().min(0).max(1).optional(),
  seed: z.int().optional(),
};

const httpStatus = z.int().min(400).max(599);
const retryAfterMs = z.int().min(0).max(3_600_000);

const isRegExp = (source: string): boolean => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
};

const FAULT_SCHEMA = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('throttle'),
    ...scope,
    status: httpStatus.default(400),
    code: z
      .string()
      .refine((code) => code.includes('Throttling'), 'must contain "Throttling"')
      .default('Throttling.User'),
    message: z.string().default('Request was denied due to user flow control.'),
    retryAfterMs: retryAfterMs.default(1000),
  }),
  z.strictObject({
    kind: z.literal('error'),
    ...scope,
    status: httpStatus.default(503),
    code: z.string().min(1).default('ServiceUnavailable'),
    message: z.string().default('Injected fault.'),
    retryAfterMs: retryAfterMs.optional(),
  }),
  z.strictObject({ kind: z.literal('unavailable'), ...scope }),
  z.strictObject({ kind: z.literal('internal-error'), ...scope }),
  z.strictObject({ kind: z.literal('delay'), ...scope, delayMs: z.int().min(0).max(600_000) }),
  z.strictObject({ kind: z.literal('reset-before'), ...scope }),
  z.strictObject({ kind: z.literal('reset-after'), ...scope }),
  z.strictObject({
    // A change task (API server EIP, upgrade, addons, node pools) that ACK accepts, then fails mid-way.
    kind: z.literal('fail-task'),
    times: scope.times,
    rate: scope.rate,
    seed: scope.seed,
    taskType: z
      .enum([
        'cluster_modify',
        'cluster_upgrade',
        'addon_install',
        'addon_upgrade',
        'addon_config',
        'addon_uninstall',
        'nodepool_create',
        'nodepool_update',
        'nodepool_delete',
      ])
      .optional(),
    message: z.string().min(1).optional(),
  }),
  z.strictObject({
    kind: z.literal('fail-creation'),
    times: scope.times,
    rate: scope.rate,
    seed: scope.seed,
    namePattern: z
      .string()
      .min(1)
      .refine(isRegExp, 'must be a valid regular expression')
      .optional(),
    message: z.string().min(1).optional(),
  }),
]);

/** What callers write (defaults may be omitted). */
type AckFault = z.input<typeof FAULT_SCHEMA>;
/** After validation, with defaults filled in. */
type ParsedFault = z.output<typeof FAULT_SCHEMA>;
type FaultKind = ParsedFault['kind'];

/** A bad fault, naming the field at fault, e.g. `ASKP_EMULATOR_FAULTS[1].rate`. */
class FaultValidationError extends Error {
  public readonly field: string;

  public constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'FaultValidationError';
    this.field = field;
  }
}

const formatPath = (label: string, path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${String(key)}`),
    label,
  );

const firstIssue = (error: z.ZodError, label: string): FaultValidationError => {
  const issue = error.issues[0];
  return new FaultValidationError(
    formatPath(label, issue?.path ?? []),
    issue?.message ?? 'is invalid',
  );
};

/** One fault object; `label` names it in errors (`fault`, `ASKP_EMULATOR_FAULTS[0]`, …). */
const parseFault = (input: unknown, label = 'fault'): ParsedFault => {
  const result = FAULT_SCHEMA.safeParse(input);
  if (!result.success) throw firstIssue(result.error, label);
  return result.data;
};

/** A fault object or an array of them (the control endpoint and the environment accept both). */
const parseFaultList = (input: unknown, label: string): ParsedFault[] => {
  if (!Array.isArray(input)) return [parseFault(input, label)];
  return input.map((entry, index) => parseFault(entry, `${label}[${index}]`));
};

export type { AckFault, FaultKind, ParsedFault };
export { FAULT_SCHEMA, FaultValidationError, parseFault, parseFaultList };
