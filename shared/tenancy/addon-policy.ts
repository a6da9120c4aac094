import * as z from 'zod';
import type { Addon } from '../domain/cluster-spec.js';
import { type FieldError, ValidationError } from '../domain/errors.js';

/**
 * Which addons a tenant may ask for, and what config each may carry. ACK takes an addon's config
 * as free JSON and acts on it in the operator's account: `logtail-ds`'s `sls_project_name` writes
 * logs into a named SLS project, `alb-ingress-controller`'s `ZoneMappings` name vSwitches. So an
 * addon must be in the service-wide allow-list (`ASKP_ADDON_ALLOW_LIST`), and its config may hold
 * only the keys below, each checked; an addon with no schema here takes no config at all.
 *
 * The keys are those public Terraform configurations pass for these addons
 * (terraform-alicloud-modules/managed-kubernetes `cluster_addons`; the examples of
 * terraform-provider-alicloud's `alicloud_cs_managed_kubernetes` `addons` block).
 */

/** The catalog's common addons for ACK Serverless (ListAddons); the default allow-list. */
const DEFAULT_ADDON_ALLOW_LIST = [
  'coredns',
  'metrics-server',
  'nginx-ingress-controller',
  'alb-ingress-controller',
  'loongcollector',
  'logtail-ds',
  'ack-node-problem-detector',
] as const;

/** `"true"`/`"false"`: ACK's addon configs carry booleans as strings. */
const booleanString = z.enum(['true', 'false']);

const CONFIG_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  'nginx-ingress-controller': z
    .object({
      IngressSlbNetworkType: z.enum(['internet', 'intranet']).optional(),
      // CLB specs slb.s1.small … slb.s3.large (UNVERIFIED: the exact set ACK accepts here).
      IngressSlbSpec: z
        .string()
        .regex(
          /^slb\.s[1-3]\.(small|medium|large)$/,
          'IngressSlbSpec is a CLB spec such as slb.s2.small',
        )
        .optional(),
    })
    .strict(),
  'logtail-ds': z.object({ IngressDashboardEnabled: booleanString.optional() }).strict(),
  loongcollector: z.object({ IngressDashboardEnabled: booleanString.optional() }).strict(),
};

/** An addon without a schema above takes no config keys. */
const NO_CONFIG = z.object({}).strict();

const configSchemaFor = (name: string): z.ZodType => CONFIG_SCHEMAS[name] ?? NO_CONFIG;

/**
 * What is wrong with one addon under the policy: not in the allow-list, or a config this service
 * does not know to be safe. `prefix` places the fields in the request (`addons.0.` in a create,
 * none in `POST /v1/clusters/{id}/addons`).
 */
const addonPolicyErrors = (
  addon: Pick<Addon, 'name' | 'config'>,
  allowList: readonly string[],
  prefix: string,
): FieldError[] => {
  const allowed = new Set(allowList);
  if (!allowed.has(addon.name)) {
    return [
      {
        field: `${prefix}name`,
        message: `addon ${addon.name} is not offered by this service; allowed: ${[...allowed].join(', ') || 'none'}`,
      },
    ];
  }
  if (addon.config === undefined) return [];
  const result = configSchemaFor(addon.name).safeParse(addon.config);
  if (result.success) return [];
  const issue = result.error.issues[0];
  const key = issue?.code === 'unrecognized_keys' ? issue.keys[0] : issue?.path.join('.');
  return [
    {
      field: `${prefix}config`,
      message:
        issue?.code === 'unrecognized_keys'
          ? `${addon.name} takes no config key ${key} here; known keys: ${knownKeys(addon.name)}`
          : `${addon.name} config ${key}: ${issue?.message ?? 'invalid'}`,
    },
  ];
};

const throwFirst = (errors: FieldError[]): void => {
  const first = errors[0];
  if (first) throw new ValidationError(`${first.field}: ${first.message}`, errors);
};

/**
 * Refuses (400, the field named) an addon outside the allow-list and a config this service does
 * not know to be safe. Pure; runs before ACK is asked anything.
 */
const assertAddonsAllowed = (addons: readonly Addon[], allowList: readonly string[]): void =>
  throwFirst(
    addons.flatMap((addon, index) => addonPolicyErrors(addon, allowList, `addons.${index}.`)),
  );

/** The same for one addon installed or changed after creation: fields `name` and `config`. */
const assertAddonAllowed = (
  addon: Pick<Addon, 'name' | 'config'>,
  allowList: readonly string[],
): void => throwFirst(addonPolicyErrors(addon, allowList, ''));

const knownKeys = (name: string): string => {
  const schema = CONFIG_SCHEMAS[name];
  if (!(schema instanceof z.ZodObject)) return 'none';
  const keys = Object.keys(schema.shape);
  return keys.length === 0 ? 'none' : keys.join(', ');
};

export { assertAddonAllowed, assertAddonsAllowed, configSchemaFor, DEFAULT_ADDON_ALLOW_LIST };
