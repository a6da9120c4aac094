import * as z from 'zod';
import type { KubeconfigIssuance } from '../domain/kubeconfig-issuance.js';

/** An issuance as the API shows it: who fetched a kubeconfig and until when; never the kubeconfig. */
const kubeconfigIssuanceViewSchema = z.object({
  id: z.string(),
  clusterId: z.string().describe('the cluster (provision) id'),
  ackClusterId: z.string(),
  keyId: z.string().describe('the API key that fetched it'),
  issuedAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  requestId: z.string(),
});

const kubeconfigIssuanceListSchema = z.object({
  items: z.array(kubeconfigIssuanceViewSchema),
  nextCursor: z.string().nullable(),
});

const kubeconfigIssuanceView = (
  issuance: KubeconfigIssuance,
): z.output<typeof kubeconfigIssuanceViewSchema> => ({
  id: issuance.id,
  clusterId: issuance.provisionId,
  ackClusterId: issuance.clusterId,
  keyId: issuance.keyId,
  issuedAt: issuance.issuedAt.toISOString(),
  expiresAt: issuance.expiresAt.toISOString(),
  revokedAt: issuance.revokedAt?.toISOString() ?? null,
  requestId: issuance.requestId,
});

export { kubeconfigIssuanceListSchema, kubeconfigIssuanceView, kubeconfigIssuanceViewSchema };
