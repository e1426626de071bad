import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../store/database.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { ApiKeyRecord, IssuedApiKey } from '../../../shared/api-types.js';

export type { ApiKeyRecord, IssuedApiKey } from '../../../shared/api-types.js';

/**
 * apisify's own API keys. The key is looked up by its SHA-256 digest (a TradingView key alone is a
 * credential, so not even the key is stored in plain); the secret lives in the SecretStore.
 */
interface ApiKeyRow {
  id: number;
  masked: string;
  label: string;
  tradingview: number;
  strategies: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export function digestOf(apikey: string): string {
  return createHash('sha256').update(apikey).digest('hex');
}

export function maskKey(key: string): string {
  return key.length <= 10 ? `${key.slice(0, 2)}…` : `${key.slice(0, 6)}…${key.slice(-4)}`;
}

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    masked: row.masked,
    label: row.label,
    tradingview: row.tradingview === 1,
    strategies: JSON.parse(row.strategies) as string[],
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

export class ApiKeys {
  /** Secrets already read from the keychain; a revoked key is refused by its row, never by this cache. */
  readonly #secretCache = new Map<number, string>();

  readonly #findActive;

  /** `install` (the data dir's install id) keeps two data dirs on one keychain from sharing key ids. */
  constructor(private readonly db: Database, private readonly secrets: SecretStore, private readonly install: string) {
    this.#findActive = db.prepare<[string], ApiKeyRow>('SELECT * FROM api_keys WHERE key_digest = ? AND revoked_at IS NULL');
  }

  secretAccount(id: number): string {
    return `apikey-secret/${this.install}/${id}`;
  }

  async create(input: { label: string; tradingview: boolean; strategies: string[] }): Promise<IssuedApiKey> {
    const apikey = `ak_${randomBytes(18).toString('base64url')}`;
    const secret = `sk_${randomBytes(32).toString('base64url')}`;
    const now = new Date().toISOString();
    // Born revoked, so no request can use the key before its secret is in the store; a failed store
    // write deletes the row again: never a key without its secret.
    const info = this.db
      .prepare('INSERT INTO api_keys (key_digest, masked, label, tradingview, strategies, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(digestOf(apikey), maskKey(apikey), input.label, input.tradingview ? 1 : 0, JSON.stringify(input.strategies), now, now);
    const id = Number(info.lastInsertRowid);
    try {
      await this.secrets.set(this.secretAccount(id), secret);
    } catch (error) {
      this.db.prepare('DELETE FROM api_keys WHERE id = ?').run(id);
      throw error;
    }
    this.db.prepare('UPDATE api_keys SET revoked_at = NULL WHERE id = ?').run(id);
    return { id, apikey, secret, tradingview: input.tradingview };
  }

  list(): ApiKeyRecord[] {
    return this.db.prepare<[], ApiKeyRow>('SELECT * FROM api_keys WHERE revoked_at IS NULL ORDER BY id').all().map(toRecord);
  }

  /** Revokes by the full key, its masked form is not enough: a key's holder or the UI (by id) revokes it. */
  revokeByKey(apikey: string): ApiKeyRecord | null {
    const row = this.#findActive.get(digestOf(apikey));
    return row ? this.revokeById(row.id) : null;
  }

  revokeById(id: number): ApiKeyRecord | null {
    const changed = this.db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(new Date().toISOString(), id).changes;
    if (changed === 0) return null;
    this.#secretCache.delete(id);
    // The secret goes too; the row stays so journal rows keep their label.
    void this.secrets.delete(this.secretAccount(id)).catch(() => undefined);
    const row = this.db.prepare<[number], ApiKeyRow>('SELECT * FROM api_keys WHERE id = ?').get(id);
    return row ? toRecord(row) : null;
  }

  /** The live key behind `apikey`, read from SQLite on every call so a revocation applies at once. */
  findActive(apikey: string): ApiKeyRecord | null {
    const row = this.#findActive.get(digestOf(apikey));
    return row ? toRecord(row) : null;
  }

  async secretOf(id: number): Promise<string | null> {
    const cached = this.#secretCache.get(id);
    if (cached !== undefined) return cached;
    const secret = await this.secrets.get(this.secretAccount(id));
    if (secret !== null) this.#secretCache.set(id, secret);
    return secret;
  }

  markUsed(id: number): void {
    this.db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(new Date().toISOString(), id);
  }
}
