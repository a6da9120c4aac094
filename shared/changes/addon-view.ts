import * as z from 'zod';
import type { AddonState } from './plan-addon-change.js';

/** `GET /v1/clusters/{id}/addons`: what is installed and whether ACK offers something newer. */
const addonViewSchema = z
  .object({
    name: z.string(),
    version: z.string().nullable().describe('the version installed'),
    state: z
      .string()
      .describe("ACK's: active, updating, upgrading (a new version on the way), deleting"),
    latestVersion: z
      .string()
      .nullable()
      .describe(
        "the version ACK's catalog offers for the cluster's Kubernetes version; null when the " +
          'catalog no longer lists the addon',
      ),
    upgradeAvailable: z
      .boolean()
      .describe('latestVersion differs from the version installed: PATCH {"version"} upgrades'),
  })
  .strict();

const addonListSchema = z
  .object({
    id: z.string(),
    kubernetesVersion: z.string().describe('the version the catalog is read for'),
    addons: z.array(addonViewSchema),
  })
  .strict();

type AddonView = z.output<typeof addonViewSchema>;

const addonViews = (state: AddonState): AddonView[] =>
  state.installed.map((addon) => {
    const latestVersion = state.offered.find((entry) => entry.name === addon.name)?.version ?? null;
    return {
      name: addon.name,
      version: addon.version,
      state: addon.state,
      latestVersion,
      upgradeAvailable: latestVersion !== null && latestVersion !== addon.version,
    };
  });

export type { AddonView };
export { addonListSchema, addonViewSchema, addonViews };
