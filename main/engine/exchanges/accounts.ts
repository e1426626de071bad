import type { ExchangeName } from '../../../shared/exchange-names.js';
import { maskKey } from '../auth/api-keys.js';
import type { SecretStore } from '../secrets/secret-store.js';
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
  constructor(private readonly db: Database, private readonly secrets: SecretStore, private readonly install: string) {}

  #account(exchange: ExchangeName, part: 'api-key' | 'secret'): string {
    return `exchange/${this.install}/${exchange}/${part}`;
  }

  async set(exchange: ExchangeName, credentials: ExchangeCredentials, baseUrl: string | null): Promise<ExchangeAccount> {
    await this.secrets.set(this.#account(exchange, 'api-key'), credentials.apiKey);
    await this.secrets.set(this.#account(exchange, 'secret'), credentials.secret);
    this.db
      .prepare(
        `INSERT INTO exchange_accounts (exchange, api_key_masked, base_url, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (exchange) DO UPDATE SET api_key_masked = excluded.api_key_masked, base_url = excluded.base_url, updated_at = excluded.updated_at`,
      )
      .run(exchange, maskKey(credentials.apiKey), baseUrl, new Date().toISOString());
    return this.find(exchange) as ExchangeAccount;
  }

  find(exchange: ExchangeName): ExchangeAccount | null {
    const row = this.db.prepare<[string], AccountRow>('SELECT * FROM exchange_accounts WHERE exchange = ?').get(exchange);
    return row ? toAccount(row) : null;
  }

  list(): ExchangeAccount[] {
    return this.db.prepare<[], AccountRow>('SELECT * FROM exchange_accounts ORDER BY exchange').all().map(toAccount);
  }

  async remove(exchange: ExchangeName): Promise<boolean> {
    const removed = this.db.prepare('DELETE FROM exchange_accounts WHERE exchange = ?').run(exchange).changes > 0;
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
