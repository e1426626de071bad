import type { ExchangeName } from '../../../shared/exchange-names.js';
import { maskKey } from '../auth/api-keys.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { StampedCache } from '../store/data-version.js';
import type { Database } from '../store/database.js';

/** What anyone may see of an exchange account: never the key in full, never the secret. */
export interface ExchangeAccount {
  exchange: ExchangeName;
  apiKeyMasked: string;
  baseUrl: string | null;
  updatedAt: string;
}

export interface ExchangeCredentials {
  apiKey: string;
  secret: string;
}

interface AccountRow {
  exchange: ExchangeName;
  api_key_masked: string;
  base_url: string | null;
  updated_at: string;
}

function toAccount(row: AccountRow): ExchangeAccount {
  return { exchange: row.exchange, apiKeyMasked: row.api_key_masked, baseUrl: row.base_url, updatedAt: row.updated_at };
}

/**
 * Exchange accounts: the key and secret in the SecretStore, the masked key and base URL in SQLite.
 * `updatedAt` doubles as a version, so a running engine notices a change made by the CLI.
 */
export class ExchangeAccounts {
  readonly #find;
  readonly #list;
  readonly #upsert;
  readonly #delete;
  /** Read for every live order; dropped whenever the file may have changed (store/data-version.ts). */
  readonly #cache: StampedCache<ExchangeName, ExchangeAccount | null>;

  constructor(db: Database, private readonly secrets: SecretStore, private readonly install: string) {
    this.#find = db.prepare<[string], AccountRow>('SELECT * FROM exchange_accounts WHERE exchange = ?');
    this.#list = db.prepare<[], AccountRow>('SELECT * FROM exchange_accounts ORDER BY exchange');
    this.#upsert = db.prepare<[string, string, string | null, string]>(
      `INSERT INTO exchange_accounts (exchange, api_key_masked, base_url, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (exchange) DO UPDATE SET api_key_masked = excluded.api_key_masked, base_url = excluded.base_url, updated_at = excluded.updated_at`,
    );
    this.#delete = db.prepare<[string]>('DELETE FROM exchange_accounts WHERE exchange = ?');
    this.#cache = new StampedCache(db);
  }

  #account(exchange: ExchangeName, part: 'api-key' | 'secret'): string {
    return `exchange/${this.install}/${exchange}/${part}`;
  }

  async set(exchange: ExchangeName, credentials: ExchangeCredentials, baseUrl: string | null): Promise<ExchangeAccount> {
    await this.secrets.set(this.#account(exchange, 'api-key'), credentials.apiKey);
    await this.secrets.set(this.#account(exchange, 'secret'), credentials.secret);
    this.#upsert.run(exchange, maskKey(credentials.apiKey), baseUrl, new Date().toISOString());
    this.#cache.wrote();
    return this.find(exchange) as ExchangeAccount;
  }

  /** A copy, so no caller changes what the next order reads. */
  find(exchange: ExchangeName): ExchangeAccount | null {
    const account = this.#cache.get(exchange, (name) => {
      const row = this.#find.get(name);
      return row ? Object.freeze(toAccount(row)) : null;
    });
    return account && { ...account };
  }

  list(): ExchangeAccount[] {
    return this.#list.all().map(toAccount);
  }

  async remove(exchange: ExchangeName): Promise<boolean> {
    const removed = this.#delete.run(exchange).changes > 0;
    this.#cache.wrote();
    await this.secrets.delete(this.#account(exchange, 'api-key'));
    await this.secrets.delete(this.#account(exchange, 'secret'));
    return removed;
  }

  /** Read only to build a signed ccxt instance; never returned through any API. */
  async credentials(exchange: ExchangeName): Promise<ExchangeCredentials | null> {
    if (!this.find(exchange)) return null;
    const [apiKey, secret] = await Promise.all([this.secrets.get(this.#account(exchange, 'api-key')), this.secrets.get(this.#account(exchange, 'secret'))]);
    return apiKey && secret ? { apiKey, secret } : null;
  }
}
