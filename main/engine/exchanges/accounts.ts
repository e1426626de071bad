import { type AccountRef, DEFAULT_ACCOUNT } from '../../../shared/account-names.js';
import type { ExchangeName } from '../../../shared/exchange-names.js';
import { maskKey } from '../auth/api-keys.js';
import { ApiError } from '../http/api-error.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { StampedCache } from '../store/data-version.js';
import type { Database } from '../store/database.js';

/** What anyone may see of an exchange account: never the key in full, never the secret. */
export interface ExchangeAccount {
  exchange: ExchangeName;
  /** Its name among the exchange's accounts (`default` unless named). */
  account: string;
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
  account: string;
  api_key_masked: string;
  base_url: string | null;
  updated_at: string;
}

function toAccount(row: AccountRow): ExchangeAccount {
  return { exchange: row.exchange, account: row.account, apiKeyMasked: row.api_key_masked, baseUrl: row.base_url, updatedAt: row.updated_at };
}

/**
 * Exchange accounts, named per exchange: the key and secret in the SecretStore, the masked key and
 * base URL in SQLite. `updatedAt` doubles as a version, so a running engine notices a change made by
 * the CLI.
 */
export class ExchangeAccounts {
  readonly #find;
  readonly #list;
  readonly #upsert;
  readonly #delete;
  /** Read for every live order; dropped whenever the file may have changed (store/data-version.ts). */
  readonly #cache: StampedCache<string, ExchangeAccount | null>;

  constructor(
    db: Database,
    private readonly secrets: SecretStore,
    private readonly install: string,
    /** The engine applies a change made in its own process before set() or remove() resolves (AccountChanges). */
    private readonly applied: () => Promise<void> = async () => undefined,
  ) {
    this.#find = db.prepare<[string, string], AccountRow>('SELECT * FROM exchange_accounts WHERE exchange = ? AND account = ?');
    this.#list = db.prepare<[], AccountRow>('SELECT * FROM exchange_accounts ORDER BY exchange, account');
    this.#upsert = db.prepare<[string, string, string, string | null, string]>(
      `INSERT INTO exchange_accounts (exchange, account, api_key_masked, base_url, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (exchange, account) DO UPDATE SET api_key_masked = excluded.api_key_masked, base_url = excluded.base_url, updated_at = excluded.updated_at`,
    );
    this.#delete = db.prepare<[string, string]>('DELETE FROM exchange_accounts WHERE exchange = ? AND account = ?');
    this.#cache = new StampedCache(db);
  }

  /** The default account keeps the keychain entries it had before accounts were named. */
  #secretName(ref: AccountRef, part: 'api-key' | 'secret'): string {
    const owner = ref.account === DEFAULT_ACCOUNT ? ref.exchange : `${ref.exchange}@${ref.account}`;
    return `exchange/${this.install}/${owner}/${part}`;
  }

  async set(ref: AccountRef, credentials: ExchangeCredentials, baseUrl: string | null): Promise<ExchangeAccount> {
    // Keychains may compare entry names without case (Windows' Credential Manager does): `Main` would
    // overwrite `main`'s key and secret, and orders on `main` would trade on the other account.
    const twin = this.list().find((account) => account.exchange === ref.exchange && account.account !== ref.account && account.account.toLowerCase() === ref.account.toLowerCase());
    if (twin) throw new ApiError(409, 'account_exists', `account: ${ref.exchange} already has an account named ${JSON.stringify(twin.account)}, which differs from ${JSON.stringify(ref.account)} only in case; use that name or another`, 'account');
    await this.secrets.set(this.#secretName(ref, 'api-key'), credentials.apiKey);
    await this.secrets.set(this.#secretName(ref, 'secret'), credentials.secret);
    this.#upsert.run(ref.exchange, ref.account, maskKey(credentials.apiKey), baseUrl, new Date().toISOString());
    this.#cache.wrote();
    await this.applied();
    return this.find(ref) as ExchangeAccount;
  }

  /** A copy, so no caller changes what the next order reads. */
  find(ref: AccountRef): ExchangeAccount | null {
    const account = this.#cache.get(`${ref.exchange}/${ref.account}`, () => {
      const row = this.#find.get(ref.exchange, ref.account);
      return row ? Object.freeze(toAccount(row)) : null;
    });
    return account && { ...account };
  }

  list(): ExchangeAccount[] {
    return this.#list.all().map(toAccount);
  }

  /** The exchange's accounts, `default` first when it has one. */
  ofExchange(exchange: ExchangeName): ExchangeAccount[] {
    return this.list()
      .filter((account) => account.exchange === exchange)
      .sort((a, b) => Number(b.account === DEFAULT_ACCOUNT) - Number(a.account === DEFAULT_ACCOUNT));
  }

  async remove(ref: AccountRef): Promise<boolean> {
    const removed = this.#delete.run(ref.exchange, ref.account).changes > 0;
    this.#cache.wrote();
    await this.secrets.delete(this.#secretName(ref, 'api-key'));
    await this.secrets.delete(this.#secretName(ref, 'secret'));
    await this.applied();
    return removed;
  }

  /** Read only to build a signed ccxt instance; never returned through any API. */
  async credentials(ref: AccountRef): Promise<ExchangeCredentials | null> {
    if (!this.find(ref)) return null;
    const [apiKey, secret] = await Promise.all([this.secrets.get(this.#secretName(ref, 'api-key')), this.secrets.get(this.#secretName(ref, 'secret'))]);
    return apiKey && secret ? { apiKey, secret } : null;
  }
}
