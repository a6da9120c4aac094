import { createClusterRequestSchema } from '../../shared/domain/cluster-spec.js';
import { newId } from '../../shared/ids.js';
import type { Store } from '../../shared/store/store.port.js';
import { newWebhookSecret } from '../../shared/webhooks/signature.js';

/**
 * A tenant (with a webhook secret) and one accepted provision of it, straight in the store: what
 * webhook deliveries need to belong to before a test or the bench queues them with
 * insertDeliveries.
 */
const seedWebhookOwner = async (
  store: Pick<Store, 'createTenant' | 'createProvision'>,
  input: { tenantName: string; name: string; at: Date },
): Promise<{ tenantId: string; provisionId: string; webhookSecret: string }> => {
  const { name, at } = input;
  const tenantId = newId('tnt');
  const webhookSecret = newWebhookSecret();
  await store.createTenant({ id: tenantId, name: input.tenantName, webhookSecret, at });
  const provisionId = newId('prv');
  await store.createProvision({
    provision: {
      id: provisionId,
      tenantId,
      name,
      region: 'cn-hangzhou',
      spec: createClusterRequestSchema.parse({ name, region: 'cn-hangzhou' }),
      clusterName: `${name}-${provisionId.slice(-10)}`,
      labels: {},
      expiresAt: null,
      createdAt: at,
    },
    event: { type: 'accepted', state: 'accepted', message: 'seeded', source: 'service', at },
    job: { v: 1, kind: 'create', provisionId },
  });
  return { tenantId, provisionId, webhookSecret };
};

export { seedWebhookOwner };
