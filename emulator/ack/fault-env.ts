import { FaultValidationError, type ParsedFault, parseFaultList } from './fault-schema.js';

/**
 * Fault injection from the environment, for the local host (`npm start`):
 *
 * - `ASKP_EMULATOR_FAULTS`: a JSON array (or one object) of fault objects (fault-schema.ts);
 * - `ASKP_EMULATOR_FAIL_NAMES`: a regular expression; creations whose name matches fail;
 * - `ASKP_EMULATOR_SEED`: an integer seeding the PRNG of faults with a `rate`.
 *
 * The result spreads into AckEmulatorOptions:
 * `startAckEmulator({ ...options, ...parseFaultsFromEnv(process.env) })`. A bad value throws a
 * FaultValidationError whose `field` names the variable (and the fault field inside it), e.g.
 * `ASKP_EMULATOR_FAULTS[1].rate`; its message starts with that field.
 */

type Env = Readonly<Record<string, string | undefined>>;

interface EnvFaultOptions {
  faults?: ParsedFault[];
  failNamePattern?: RegExp;
  seed?: number;
}

const invalid = (field: string, message: string): FaultValidationError =>
  new FaultValidationError(field, message);

const parseFaultsVariable = (text: string): ParsedFault[] => {
  const name = 'ASKP_EMULATOR_FAULTS';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid(name, 'must be JSON: an array of fault objects');
  }
  return parseFaultList(json, name);
};

const parseFaultsFromEnv = (env: Env): EnvFaultOptions => {
  const options: EnvFaultOptions = {};
  const faults = env.ASKP_EMULATOR_FAULTS?.trim();
  if (faults) options.faults = parseFaultsVariable(faults);
  const failNames = env.ASKP_EMULATOR_FAIL_NAMES;
  if (failNames) {
    try {
      options.failNamePattern = new RegExp(failNames);
    } catch {
      throw invalid('ASKP_EMULATOR_FAIL_NAMES', 'must be a valid regular expression');
    }
  }
  const seed = env.ASKP_EMULATOR_SEED?.trim();
  if (seed) {
    const value = Number(seed);
    if (!Number.isSafeInteger(value)) throw invalid('ASKP_EMULATOR_SEED', 'must be an integer');
    options.seed = value;
  }
  return options;
};

export type { EnvFaultOptions };
export { parseFaultsFromEnv };
