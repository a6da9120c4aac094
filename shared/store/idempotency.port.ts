/** An HTTP response as the idempotency record keeps it, replayed byte for byte. */
interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The hold one request has on an Idempotency-Key while it runs; `owner` is its random token. */
interface IdempotencyClaim {
  tenantId: string;
  key: string;
  owner: string;
}

type IdempotencyBegin =
  /** The key is ours now (new, expired, or abandoned by a request that died). */
  | { outcome: 'started' }
  /** The same request completed before: answer with what it answered. */
  | { outcome: 'replay'; response: StoredResponse }
  /** The key was used with another request body. */
  | { outcome: 'mismatch' }
  /** The same request is still running elsewhere. */
  | { outcome: 'in-flight' };

/** Idempotency-Key records: claimed, completed with the response, replayed, expired. */
interface IdempotencyStore {
  /**
   * Claims an Idempotency-Key for one request, insert-first on the (tenant, key) primary key so
   * that of two instances racing exactly one gets `started`. An expired record, or one still
   * `processing` past `lockedUntil` with the same fingerprint (its request died), is taken over.
   */
  beginIdempotentRequest(input: {
    claim: IdempotencyClaim;
    fingerprint: string;
    now: Date;
    lockedUntil: Date;
    expiresAt: Date;
  }): Promise<IdempotencyBegin>;
  /** Stores the response of a claimed request; false when the claim was lost or already done. */
  completeIdempotentRequest(input: {
    claim: IdempotencyClaim;
    response: StoredResponse;
  }): Promise<boolean>;
  /**
   * The running request's heartbeat: moves `lockedUntil` on while `claim` still holds the key
   * unfinished. False when the claim was lost (taken over) or is done.
   */
  renewIdempotencyClaim(input: { claim: IdempotencyClaim; lockedUntil: Date }): Promise<boolean>;
  /** Lets go of a claim whose request failed on our side (5xx), so a retry runs again. */
  releaseIdempotentRequest(claim: IdempotencyClaim): Promise<void>;
  /** Deletes up to `limit` records that expired before `now`; returns how many. */
  deleteExpiredIdempotencyKeys(input: { now: Date; limit: number }): Promise<number>;
}

export type { IdempotencyBegin, IdempotencyClaim, IdempotencyStore, StoredResponse };
