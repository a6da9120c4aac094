import type { AuditRecord } from '../domain/audit.js';

interface ApiKeyRecord {
  /** The public part of `askp_<id>_<secret>`. */
  id: string;
  tenantId: string;
  /** Hex SHA-256 of the secret part. */
  secretHash: string;
  scopes: string[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
  /** What the key is for, as its creator put it; null when not given. */
  name: string | null;
  /**
   * When the key last authenticated a request, as far as the store knows: written behind the
   * request by the API's rate-limit sync, at most once a minute per key (so up to a minute old,
   * and a request on an instance that dies before its sync is not counted).
   */
  lastUsedAt: Date | null;
}

/** API keys (only the hash of a key's secret is stored). */
interface ApiKeyStore {
  /**
   * Inserts the key unless a key with that id exists (bootstrap is idempotent); the audit record,
   * when given, commits with it.
   */
  putApiKey(record: ApiKeyRecord, audit?: AuditRecord): Promise<void>;
  getApiKey(id: string): Promise<ApiKeyRecord | null>;
  /** Keys by creation time (oldest first, id breaking ties), one tenant's or every tenant's. */
  listApiKeys(input: {
    tenantId?: string;
    afterId?: string;
    limit: number;
  }): Promise<ApiKeyRecord[]>;
  /**
   * Sets `revokedAt` unless already set (the first revocation's time stays); null if no such key.
   * The audit record, made for the key found, commits with the revocation.
   */
  revokeApiKey(input: {
    id: string;
    at: Date;
    audit?: (record: ApiKeyRecord) => AuditRecord;
  }): Promise<ApiKeyRecord | null>;
}

export type { ApiKeyRecord, ApiKeyStore };
