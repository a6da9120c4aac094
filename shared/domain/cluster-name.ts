/**
 * The ACK cluster name for a provision: the caller's name plus a suffix of the provision id, so
 * that a create whose response was lost can be found again by name (ACK has no client token on
 * CreateCluster). Deterministic and within ACK's 63-character limit.
 */
const clusterNameFor = (input: { name: string; provisionId: string }): string => {
  const suffix = input.provisionId.replace(/^prv_/, '').slice(-10);
  const base = input.name.slice(0, 63 - suffix.length - 1).replace(/-+$/, '');
  return `${base}-${suffix}`;
};

/** Tags every cluster we create carries; the janitor and adoption only trust clusters with them. */
const TAG_PROVISION_ID = 'askp.provision-id';
const TAG_TENANT_ID = 'askp.tenant-id';
const TAG_MANAGED_BY = 'askp.managed-by';
const MANAGED_BY_VALUE = 'ask-provisioner';

export { clusterNameFor, MANAGED_BY_VALUE, TAG_MANAGED_BY, TAG_PROVISION_ID, TAG_TENANT_ID };
