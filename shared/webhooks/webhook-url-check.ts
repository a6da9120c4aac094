import { isIP } from 'node:net';
import { ValidationError } from '../domain/errors.js';
import { type AddressGuard, createAddressGuard } from './address-guard.js';

/**
 * What a webhook URL must be before anything is sent to it: https (http only when the operator
 * allows it, for local runs), no credentials, and, when its host is a literal IP address, an
 * address the guard allows. The sender applies it on every attempt; registration applies it too,
 * so a URL naming a private, loopback, link-local, CGNAT or metadata address is a 400 at once
 * instead of three days of refused attempts. A hostname is judged at connect time, on the address
 * DNS gives (a name can change what it resolves to after registration).
 */
interface WebhookUrlPolicy {
  allowHttp: boolean;
  guard: AddressGuard;
}

const webhookUrlPolicy = (webhooks: {
  allowHttp: boolean;
  allowedCidrs: readonly string[];
}): WebhookUrlPolicy => ({
  allowHttp: webhooks.allowHttp,
  guard: createAddressGuard({ allowedCidrs: webhooks.allowedCidrs }),
});

const webhookUrlProblem = (url: URL, policy: WebhookUrlPolicy): string | undefined => {
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
    return `scheme ${url.protocol} is not allowed (HTTPS is required)`;
  }
  if (url.username || url.password) return 'credentials in the URL are not allowed';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) {
    const verdict = policy.guard(host);
    if (!verdict.allowed) return `address refused: ${verdict.reason}`;
  }
  return undefined;
};

/** Registration: a 400 naming `field` when the URL could never be delivered to. */
const assertWebhookUrlAllowed = (
  text: string | undefined,
  policy: WebhookUrlPolicy,
  field: string,
): void => {
  if (text === undefined) return;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ValidationError(`${field}: not a URL`, [{ field, message: 'not a URL' }]);
  }
  const problem = webhookUrlProblem(url, policy);
  if (problem) {
    throw new ValidationError(`${field}: ${problem}`, [{ field, message: problem }]);
  }
};

/**
 * The URL as shown to readers: scheme, host, port and path only. A query string or userinfo may
 * hold a receiver's token; it is kept for sending and never shown back.
 */
const redactWebhookUrl = (text: string): string => {
  try {
    const url = new URL(text);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return '';
  }
};

export type { WebhookUrlPolicy };
export { assertWebhookUrlAllowed, redactWebhookUrl, webhookUrlPolicy, webhookUrlProblem };
