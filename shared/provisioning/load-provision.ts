import { DomainError } from '../domain/errors.js';
import type { Provision } from '../domain/provision.js';
import type { ProvisionStore } from '../store/provision.port.js';

const PROVISION_ID = /^prv_[0-9a-z]{20,32}$/;

/**
 * A tenant's provision, or NOT_FOUND. Another tenant's provision and a missing one look the same,
 * so a caller learns nothing about ids that are not theirs; a malformed id never reaches the store.
 */
const loadProvision = async (
  store: ProvisionStore,
  input: { tenantId: string; id: string },
): Promise<Provision> => {
  const provision = PROVISION_ID.test(input.id)
    ? await store.getProvision({ id: input.id, tenantId: input.tenantId })
    : null;
  if (!provision) throw new DomainError('NOT_FOUND', `cluster ${input.id} not found`);
  return provision;
};

export { loadProvision, PROVISION_ID };
