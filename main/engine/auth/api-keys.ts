import { createHash, randomBytes } from 'node:crypto';
import { StampedCache } from '../store/data-version.js';
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
  sign_body: number;
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

/** What findActive() hands out: a copy, so no caller changes what the next request reads. */
function copyOf(record: ApiKeyRecord): ApiKeyRecord {
  return { ...record, strategies: [...record.strategies] };
}

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    masked: row.masked,
    label: row.label,
    tradingview: row.tradingview === 1,
    strategies: JSON.parse(row.strategies) as string[],
    signBody: row.sign_body === 1,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

export class ApiKeys {
  /** Secrets already read from the keychain; a revoked key is refused by its row, never by this cache. */
  readonly #secretCache = new Map<number, string>();
  /** Active keys by digest (null: none), dropped whenever the file may have changed (store/data-version.ts). */
  readonly #activeCache: StampedCache<string, ApiKeyRecord | null>;

  readonly #findActive;
  readonly #findById;
  readonly #list;
  readonly #insert;
  readonly #delete;
  readonly #activate;
  readonly #revoke;
  readonly #markUsed;

  /** `install` (the data dir's install id) keeps two data dirs on one keychain from sharing key ids. */
  constructor(db: Database, private readonly secrets: SecretStore, private readonly install: string) {
    this.#findActive = db.prepare<[string], ApiKeyRow>('SELECT * FROM api_keys WHERE key_digest = ? AND revoked_at IS NULL');
    this.#findById = db.prepare<[number], ApiKeyRow>('SELECT * FROM api_keys WHERE id = ?');
    this.#list = db.prepare<[], ApiKeyRow>('SELECT * FROM api_keys WHERE revoked_at IS NULL ORDER BY id');
    this.#insert = db.prepare<[string, string, string, number, string, number, string, string]>(
      'INSERT INTO api_keys (key_digest, masked, label, tradingview, strategies, sign_body, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.#delete = db.prepare<[number]>('DELETE FROM api_keys WHERE id = ?');
    this.#activate = db.prepare<[number]>('UPDATE api_keys SET revoked_at = NULL WHERE id = ?');
    this.#revoke = db.prepare<[string, number]>('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
    this.#markUsed = db.prepare<[string, number]>('UPDATE api_keys SET last_used_at = ? WHERE id = ?');
    this.#activeCache = new StampedCache(db);
  }

  secretAccount(id: number): string {
    return `apikey-secret/${this.install}/${id}`;
  }

  async create(input: { label: string; tradingview: boolean; strategies: string[]; signBody?: boolean }): Promise<IssuedApiKey> {
    const apikey = `ak_${randomBytes(18).toString('base64url')}`;
    const secret = `sk_${randomBytes(32).toString('base64url')}`;
    const now = new Date().toISOString();
    // Born revoked, so no request can use the key before its secret is in the store; a failed store
    // write deletes the row again: never a key without its secret.
    const info = this.#insert.run(digestOf(apikey), maskKey(apikey), input.label, input.tradingview ? 1 : 0, JSON.stringify(input.strategies), input.signBody ? 1 : 0, now, now);
    this.#activeCache.wrote();
    const id = Number(info.lastInsertRowid);
    try {
      await this.secrets.set(this.secretAccount(id), secret);
    } catch (error) {
      this.#delete.run(id);
      this.#activeCache.wrote();
      throw error;
    }
    this.#activate.run(id);
    this.#activeCache.wrote();
    return { id, apikey, secret, tradingview: input.tradingview };
  }

  list(): ApiKeyRecord[] {
    return this.#list.all().map(toRecord);
  }

  /** Revokes by the full key, its masked form is not enough: a key's holder or the UI (by id) revokes it. */
  revokeByKey(apikey: string): ApiKeyRecord | null {
    const row = this.#findActive.get(digestOf(apikey));
    return row ? this.revokeById(row.id) : null;
  }

  revokeById(id: number): ApiKeyRecord | null {
    const changed = this.#revoke.run(new Date().toISOString(), id).changes;
    if (changed === 0) return null;
    this.#activeCache.wrote();
    this.#secretCache.delete(id);
    // The secret goes too; the row stays so journal rows keep their label.
    void this.secrets.delete(this.secretAccount(id)).catch(() => undefined);
    const row = this.#findById.get(id);
    return row ? toRecord(row) : null;
  }

  /**
   * The live key behind `apikey`, read on every request so a revocation applies to the next one: from
   * the cache only while no connection has written to the file since it was read.
   */
  findActive(apikey: string): ApiKeyRecord | null {
    const record = this.#activeCache.get(digestOf(apikey), (digest) => {
      const row = this.#findActive.get(digest);
      return row ? Object.freeze(toRecord(row)) : null;
    });
    return record && copyOf(record);
  }

  async secretOf(id: number): Promise<string | null> {
    const cached = this.#secretCache.get(id);
    if (cached !== undefined) return cached;
    const secret = await this.secrets.get(this.secretAccount(id));
    if (secret !== null) this.#secretCache.set(id, secret);
    return secret;
  }

  markUsed(id: number): void {
    this.#markUsed.run(new Date().toISOString(), id);
    // lastUsedAt is part of what findActive() returns; this runs at most once a minute per key.
    this.#activeCache.wrote();
  }
}
