import * as z from 'zod';
import type { Network } from '../domain/cluster-spec.js';
import { REGION_PATTERN } from '../domain/cluster-spec.js';
import { DomainError } from '../domain/errors.js';

/**
 * The networks an operator registered for a tenant (`PUT /v1/admin/tenants/{id}/networks`): the
 * only VPCs and vSwitches a create or preflight of that tenant may name. Without this a tenant
 * key could put its cluster in any VPC of the operator's account — ACK checks only that the VPC
 * exists in the account, not who asked. `"auto"` (ACK creates a new VPC) is always allowed.
 */

const VPC_ID_PATTERN = /^vpc-[a-z0-9]{4,}$/;
const VSWITCH_ID_PATTERN = /^vsw-[a-z0-9]{4,}$/;

/** Registered networks per tenant; each is a VPC with the vSwitches the tenant may use in it. */
const MAX_TENANT_NETWORKS = 20;
/** A VPC has at most 150 vSwitches (VPC quota `vpc_quota_vsw_nums_per_vpc`, default 150). */
const MAX_VSWITCHES_PER_NETWORK = 150;

const tenantNetworkSchema = z
  .object({
    region: z.string().regex(REGION_PATTERN, 'region is a region id such as cn-hangzhou'),
    vpcId: z.string().regex(VPC_ID_PATTERN, 'vpcId looks like vpc-xxxx'),
    vswitchIds: z
      .array(z.string().regex(VSWITCH_ID_PATTERN, 'vSwitch ids look like vsw-xxxx'))
      .min(1, 'give at least one vSwitch the tenant may use')
      .max(MAX_VSWITCHES_PER_NETWORK)
      .refine((ids) => new Set(ids).size === ids.length, 'vswitchIds must not repeat'),
  })
  .strict();

/** The body of PUT …/networks: the whole list, replacing the one before; `[]` allows only "auto". */
const tenantNetworksRequestSchema = z
  .object({
    networks: z
      .array(tenantNetworkSchema)
      .max(MAX_TENANT_NETWORKS, `at most ${MAX_TENANT_NETWORKS} networks`)
      .refine(
        (networks) =>
          new Set(networks.map((network) => `${network.region}/${network.vpcId}`)).size ===
          networks.length,
        'a VPC may be registered only once per region: list all its vSwitches in one entry',
      )
      .describe('every network the tenant may name; [] leaves only network "auto"'),
  })
  .strict();

type TenantNetwork = z.output<typeof tenantNetworkSchema>;
type TenantNetworksRequest = z.output<typeof tenantNetworksRequestSchema>;

/** A create or preflight named a VPC or vSwitch the operator did not register for the tenant. */
class NetworkNotAllowedError extends DomainError {
  public readonly tenantId: string;
  public readonly resourceId: string;

  public constructor(input: { tenantId: string; field: string; resourceId: string }) {
    // The message never says whether the resource exists anywhere: that would be an oracle.
    super(
      'NETWORK_NOT_ALLOWED',
      `${input.field}: ${input.resourceId} is not a network registered for this tenant in the region; ` +
        'use network "auto" or ask the operator to register it',
      { field: input.field },
    );
    this.name = 'NetworkNotAllowedError';
    this.tenantId = input.tenantId;
    this.resourceId = input.resourceId;
  }
}

/**
 * Checks a request's network against the tenant's registered ones: the VPC must be registered in
 * the request's region, and every vSwitch must be one registered under that VPC. Pure; the first
 * offending field is named (`network.vpcId` or `network.vswitchIds.<i>`).
 */
const assertNetworkAllowed = (input: {
  tenantId: string;
  region: string;
  network: Network;
  registered: readonly TenantNetwork[];
}): void => {
  const { network } = input;
  if (network === 'auto') return;
  const match = input.registered.find(
    (entry) => entry.region === input.region && entry.vpcId === network.vpcId,
  );
  if (match === undefined) {
    throw new NetworkNotAllowedError({
      tenantId: input.tenantId,
      field: 'network.vpcId',
      resourceId: network.vpcId,
    });
  }
  const allowed = new Set(match.vswitchIds);
  network.vswitchIds.forEach((vswitchId, index) => {
    if (!allowed.has(vswitchId)) {
      throw new NetworkNotAllowedError({
        tenantId: input.tenantId,
        field: `network.vswitchIds.${index}`,
        resourceId: vswitchId,
      });
    }
  });
};

export type { TenantNetwork, TenantNetworksRequest };
export {
  assertNetworkAllowed,
  MAX_TENANT_NETWORKS,
  NetworkNotAllowedError,
  tenantNetworkSchema,
  tenantNetworksRequestSchema,
};
