import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks v1: HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}` with a `whsec_`
 * secret. The public `standardwebhooks` library signs here, so a receiver using the same library
 * verifies exactly what we send. Several secrets (rotation) give several space-separated
 * signatures, any of which verifies.
 */
interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

const signWebhook = (input: {
  secrets: readonly string[];
  id: string;
  at: Date;
  payload: string;
}): SignedHeaders => {
  // The signed timestamp is whole seconds; sign the same instant that the header carries.
  const seconds = Math.floor(input.at.getTime() / 1000);
  const signedAt = new Date(seconds * 1000);
  const signatures = input.secrets.map((secret) =>
    new Webhook(secret).sign(input.id, signedAt, input.payload),
  );
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(seconds),
    'webhook-signature': signatures.join(' '),
  };
};

/**
 * The secrets that sign a tenant's deliveries at `now`: the current one, and during the 24 hours
 * after a rotation the previous one too, so a receiver still holding the old secret verifies.
 */
const signingSecrets = (
  tenant: {
    webhookSecret: string;
    previousWebhookSecret: string | null;
    previousSecretExpiresAt: Date | null;
  },
  now: Date,
): string[] =>
  tenant.previousWebhookSecret !== null &&
  tenant.previousSecretExpiresAt !== null &&
  tenant.previousSecretExpiresAt > now
    ? [tenant.webhookSecret, tenant.previousWebhookSecret]
    : [tenant.webhookSecret];

/** 32 random bytes, base64, with the `whsec_` prefix the spec uses. */
const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

export type { SignedHeaders };
export { newWebhookSecret, signingSecrets, signWebhook };
