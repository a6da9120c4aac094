import * as z from 'zod';
import type { Command } from '../command.js';
import { CliError, EXIT_CODES } from '../exit-codes.js';
import { callApi } from '../user/api.js';
import { CONNECTION_OPTIONS, resolveConnection } from '../user/connection.js';
import { CREATE_BODY_OPTIONS, createBody } from '../user/create-body.js';
import { columns, OUTPUT, render, str } from '../user/output.js';

/**
 * `askp preflight` and `askp options`: the console's "check dependencies and see the price" step
 * and its "what may I choose" lists, from `POST /v1/clusters:preflight` and `GET /v1/options`.
 * The answers are parsed loosely (unknown fields kept): the CLI prints what it knows and passes
 * the rest through to `-o json|yaml`.
 */
const preflightSchema = z.looseObject({
  ok: z.boolean(),
  kubernetesVersion: z.string().nullable(),
  findings: z.array(
    z.looseObject({
      check: z.string(),
      status: z.string(),
      message: z.string(),
      action: z.string().optional(),
    }),
  ),
  cost: z.looseObject({
    usdPerHour: z.number(),
    usdPerMonth: z.number(),
    verified: z.boolean(),
    items: z.array(
      z.looseObject({
        item: z.string(),
        usdPerHour: z.number(),
        usdPerMonth: z.number(),
        verified: z.boolean(),
      }),
    ),
    excludes: z.array(z.string()),
    priceTable: z.looseObject({ version: z.string(), date: z.string() }),
  }),
});

type PreflightView = z.output<typeof preflightSchema>;

const usd = (value: number): string => `$${value.toFixed(4)}`;

const preflightTable = (report: PreflightView): string => {
  const findings = columns([
    ['CHECK', 'STATUS', 'MESSAGE'],
    ...report.findings.map((f) => [
      f.check,
      f.status.toUpperCase(),
      f.action ? `${f.message} — ${f.action}` : f.message,
    ]),
  ]);
  const cost = columns([
    ['COST ITEM', 'USD/HOUR', 'USD/MONTH', 'VERIFIED'],
    ...report.cost.items.map((i) => [
      i.item,
      usd(i.usdPerHour),
      usd(i.usdPerMonth),
      i.verified ? 'yes' : 'no',
    ]),
    [
      'total',
      usd(report.cost.usdPerHour),
      usd(report.cost.usdPerMonth),
      report.cost.verified ? 'yes' : 'no',
    ],
  ]);
  return [
    findings,
    cost,
    `not included: ${report.cost.excludes.join('; ')}\n`,
    `prices: table ${report.cost.priceTable.version} of ${report.cost.priceTable.date}\n`,
    `kubernetes version: ${report.kubernetesVersion ?? 'none creatable'}\n`,
    report.ok ? 'ok: the create would pass these checks\n' : 'NOT ok: a check fails\n',
  ].join('\n');
};

const preflight: Command = {
  kind: 'command',
  name: 'preflight',
  summary: 'check a create (roles, quota, version, network) and price it; creates nothing',
  options: { ...CONNECTION_OPTIONS, ...CREATE_BODY_OPTIONS, ...OUTPUT },
  run: async (context) => {
    const body = createBody(context, 'preflight');
    const report = preflightSchema.parse(
      await callApi(resolveConnection(context), 'POST', '/v1/clusters:preflight', body),
    );
    render(context, report, () => preflightTable(report));
    if (!report.ok) {
      const failed = report.findings.filter((f) => f.status === 'fail').map((f) => f.check);
      throw new CliError(EXIT_CODES.preflightFailed, `preflight failed: ${failed.join(', ')}`);
    }
  },
};

const optionsSchema = z.looseObject({
  region: z.string(),
  regions: z.array(z.looseObject({ id: z.string(), name: z.string(), zones: z.array(z.string()) })),
  defaultZoneId: z.string(),
  kubernetesVersions: z.array(z.looseObject({ version: z.string() })),
  defaultKubernetesVersion: z.string().nullable(),
  clusterSpecs: z.array(z.string()),
  addons: z.array(
    z.looseObject({
      name: z.string(),
      version: z.string().nullable(),
      category: z.string().nullable(),
    }),
  ),
});

type OptionsView = z.output<typeof optionsSchema>;

const optionsTable = (o: OptionsView): string =>
  [
    columns([
      ['REGION', 'NAME', 'ZONES'],
      ...o.regions.map((r) => [r.id === o.region ? `${r.id} *` : r.id, r.name, r.zones.join(',')]),
    ]),
    `in ${o.region}: default zone ${o.defaultZoneId || '-'}; cluster specs ${o.clusterSpecs.join(', ')}\n`,
    `kubernetes versions: ${
      o.kubernetesVersions
        .map((v) =>
          v.version === o.defaultKubernetesVersion ? `${v.version} (default)` : v.version,
        )
        .join(', ') || 'none creatable'
    }\n`,
    columns([
      ['ADDON', 'VERSION', 'CATEGORY'],
      ...o.addons.map((a) => [a.name, a.version ?? '-', a.category ?? '-']),
    ]),
  ].join('\n');

const options: Command = {
  kind: 'command',
  name: 'options',
  summary: 'what a create may ask for: regions and zones, versions, specs, addons',
  options: {
    ...CONNECTION_OPTIONS,
    region: { type: 'string', value: '<region>', description: 'default cn-hangzhou' },
    ...OUTPUT,
  },
  run: async (context) => {
    const region = str(context, 'region');
    const query = region ? `?region=${encodeURIComponent(region)}` : '';
    const answer = optionsSchema.parse(
      await callApi(resolveConnection(context), 'GET', `/v1/options${query}`),
    );
    render(context, answer, () => optionsTable(answer));
  },
};

export { options, preflight };
