import * as z from 'zod';

/** The local host's own settings (the functions' settings are in shared/config.ts). */
const port = z
  .string()
  .regex(/^\d{1,5}$/, 'must be a port number')
  .transform(Number)
  .pipe(z.number().int().min(0).max(65_535));

const SETTINGS = {
  PORT: port.default(9000),
  ASKP_ACK_PORT: port.default(9101),
  ASKP_MNS_PORT: port.default(9102),
  ASKP_KUBE_PORT: port.default(9103),
  ASKP_DATA_DIR: z.string().min(1).default('.data'),
  ASKP_EMULATOR_CREATE_SECONDS: z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'must be a number of seconds')
    .transform(Number)
    .pipe(z.number().min(0).max(3600))
    .default(20),
  /** The poller's tick in `npm start` (s.yaml says 1 min): short, so creation stages show live. */
  ASKP_POLLER_INTERVAL_SECONDS: z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'must be a number of seconds')
    .transform(Number)
    .pipe(z.number().min(0.1).max(86_400))
    .default(5),
  ASKP_TIMER_INTERVAL_SECONDS: z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'must be a number of seconds')
    .transform(Number)
    .pipe(z.number().min(0.1).max(86_400))
    .optional(),
} as const;

type SettingName = keyof typeof SETTINGS;
type LocalSettings = { [K in SettingName]: z.output<(typeof SETTINGS)[K]> };

const loadLocalSettings = (env: Readonly<Record<string, string | undefined>>): LocalSettings => {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    const raw = env[name] === '' ? undefined : env[name];
    const result = SETTINGS[name].safeParse(raw);
    if (!result.success) {
      throw new Error(`${name} ${result.error.issues[0]?.message ?? 'is invalid'} (got "${raw}")`);
    }
    out[name] = result.data;
  }
  return out as LocalSettings;
};

export type { LocalSettings };
export { loadLocalSettings };
