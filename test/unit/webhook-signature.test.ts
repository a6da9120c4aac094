import fc from 'fast-check';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signWebhook } from '../../shared/webhooks/signature.js';

const SECRET_A = newWebhookSecret();
const SECRET_B = newWebhookSecret();

const msgIdArb = fc.stringMatching(/^msg_[A-Za-z0-9]{1,32}$/);

/** Verifies as a receiver using the public library would; throws when it does not verify. */
const verifyWith = (secret: string, payload: string, headers: Record<string, string>): unknown =>
  new Webhook(secret).verify(payload, headers);

const verifies = (secret: string, payload: string, headers: Record<string, string>): boolean => {
  try {
    new Webhook(secret).verify(payload, headers, { jsonParse: false });
    return true;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return false;
    throw error;
  }
};

describe('signWebhook', () => {
  it('produces the three Standard Webhooks headers', () => {
    const at = new Date('2026-01-01T00:00:00.000Z');
    const headers = signWebhook({ secrets: [SECRET_A], id: 'msg_1', at, payload: '{}' });
    expect(Object.keys(headers).sort()).toEqual([
      'webhook-id',
      'webhook-signature',
      'webhook-timestamp',
    ]);
    expect(headers['webhook-id']).toBe('msg_1');
    expect(headers['webhook-timestamp']).toBe('1767225600');
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  });

  it('signs the whole second the timestamp header carries, even when `at` has milliseconds', () => {
    const at = new Date(Date.now() - (Date.now() % 1000) + 999);
    const headers = signWebhook({ secrets: [SECRET_A], id: 'msg_ms', at, payload: '{"a":1}' });
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(at.getTime() / 1000)));
    expect(verifyWith(SECRET_A, '{"a":1}', { ...headers })).toEqual({ a: 1 });
  });

  it('is deterministic for the same inputs', () => {
    const input = { secrets: [SECRET_A], id: 'msg_d', at: new Date(), payload: 'x' };
    expect(signWebhook(input)).toEqual(signWebhook(input));
  });

  it('verifies with the public standardwebhooks library, for any JSON payload', () => {
    fc.assert(
      fc.property(msgIdArb, fc.json(), (id, payload) => {
        const headers = signWebhook({ secrets: [SECRET_A], id, at: new Date(), payload });
        expect(verifyWith(SECRET_A, payload, { ...headers })).toEqual(JSON.parse(payload));
      }),
      { numRuns: 300 },
    );
  });

  it('verifies for any text payload, unicode included', () => {
    fc.assert(
      fc.property(msgIdArb, fc.string({ unit: 'grapheme', maxLength: 200 }), (id, payload) => {
        const headers = signWebhook({ secrets: [SECRET_A], id, at: new Date(), payload });
        expect(verifies(SECRET_A, payload, { ...headers })).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('signs with every secret during a rotation; each secret alone verifies', () => {
    fc.assert(
      fc.property(msgIdArb, fc.json(), (id, payload) => {
        const headers = signWebhook({ secrets: [SECRET_A, SECRET_B], id, at: new Date(), payload });
        expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
        expect(verifies(SECRET_A, payload, { ...headers })).toBe(true);
        expect(verifies(SECRET_B, payload, { ...headers })).toBe(true);
        expect(verifies(newWebhookSecret(), payload, { ...headers })).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('fails verification with a different secret', () => {
    const headers = signWebhook({
      secrets: [SECRET_A],
      id: 'msg_x',
      at: new Date(),
      payload: '{}',
    });
    expect(verifies(SECRET_B, '{}', { ...headers })).toBe(false);
  });

  it('fails verification when the body is tampered with', () => {
    fc.assert(
      fc.property(msgIdArb, fc.json(), fc.json(), (id, payload, other) => {
        fc.pre(payload !== other);
        const headers = signWebhook({ secrets: [SECRET_A], id, at: new Date(), payload });
        expect(verifies(SECRET_A, other, { ...headers })).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('fails verification when the timestamp is changed, even by one second', () => {
    const headers = signWebhook({
      secrets: [SECRET_A],
      id: 'msg_t',
      at: new Date(),
      payload: '{}',
    });
    const moved = String(Number(headers['webhook-timestamp']) - 1);
    expect(verifies(SECRET_A, '{}', { ...headers, 'webhook-timestamp': moved })).toBe(false);
  });

  it('fails verification when the message id is changed', () => {
    const headers = signWebhook({
      secrets: [SECRET_A],
      id: 'msg_1',
      at: new Date(),
      payload: '{}',
    });
    expect(verifies(SECRET_A, '{}', { ...headers, 'webhook-id': 'msg_2' })).toBe(false);
  });

  it('is refused by receivers once it is older than their tolerance (replay)', () => {
    const at = new Date(Date.now() - 10 * 60_000);
    const headers = signWebhook({ secrets: [SECRET_A], id: 'msg_old', at, payload: '{}' });
    expect(verifies(SECRET_A, '{}', { ...headers })).toBe(false);
  });
});

describe('newWebhookSecret', () => {
  it('has the whsec_ prefix and 32 random bytes of base64', () => {
    const secret = newWebhookSecret();
    expect(secret.startsWith('whsec_')).toBe(true);
    const bytes = Buffer.from(secret.slice('whsec_'.length), 'base64');
    expect(bytes).toHaveLength(32);
    expect(bytes.toString('base64')).toBe(secret.slice('whsec_'.length));
  });

  it('is different every time', () => {
    const secrets = new Set(Array.from({ length: 100 }, () => newWebhookSecret()));
    expect(secrets.size).toBe(100);
  });

  it('is accepted by the public library', () => {
    expect(() => new Webhook(newWebhookSecret())).not.toThrow();
  });
});
