import type { Provision } from '../domain/provision.js';
import type { ProvisionState } from '../domain/provision-state.js';
import { PROVISION_STATES } from '../domain/provision-state.js';
import type { ProvisionStore } from '../store/provision.port.js';

/** One page of a tenant's provisions in id (creation) order; `nextAfterId` null on the last. */
const listProvisions = async (
  deps: { store: ProvisionStore },
  input: {
    tenantId: string;
    states?: readonly ProvisionState[];
    labels?: Readonly<Record<string, string>>;
    region?: string;
    namePrefix?: string;
    afterId?: string;
    limit: number;
  },
): Promise<{ items: Provision[]; nextAfterId: string | null }> => {
  const rows = await deps.store.listProvisions({
    tenantId: input.tenantId,
    states: input.states ?? PROVISION_STATES,
    ...(input.labels ? { labels: input.labels } : {}),
    ...(input.region ? { region: input.region } : {}),
    ...(input.namePrefix ? { namePrefix: input.namePrefix } : {}),
    ...(input.afterId ? { afterId: input.afterId } : {}),
    limit: input.limit + 1,
  });
  const items = rows.slice(0, input.limit);
  return { items, nextAfterId: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
};

export { listProvisions };
