import { type AccountRef, accountKey } from '../../../shared/account-names.js';
import type { Logger } from '../log.js';
import type { ExchangeAccounts } from './accounts.js';

/** An account set, replaced or removed since the last look. */
export type AccountChangeListener = (changed: AccountRef[]) => void | Promise<void>;

/**
 * Notices every change to the exchange accounts, whoever made it: one made in the engine's process is
 * applied before ExchangeAccounts.set/remove resolves (they call check()), and `apisify exchange` in
 * another process writes the same SQLite file, which a look every `everyMs` finds (a local read,
 * nothing sent anywhere). Listeners then retire what was built on the old credentials
 * (CcxtAccounts.retireChanged) and move followed orders over (OrderFollower).
 */
export class AccountChanges {
  #seen: Map<string, { ref: AccountRef; version: string }>;
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly accounts: ExchangeAccounts,
    private readonly listener: AccountChangeListener,
    private readonly log: Logger,
    private readonly everyMs = 1_000,
  ) {
    this.#seen = this.#snapshot();
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.check(), this.everyMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Compares the accounts with the last look and tells the listener what changed; resolves once it has acted. */
  async check(): Promise<void> {
    const now = this.#snapshot();
    const changed: AccountRef[] = [];
    for (const [key, entry] of now) if (this.#seen.get(key)?.version !== entry.version) changed.push(entry.ref);
    for (const [key, entry] of this.#seen) if (!now.has(key)) changed.push(entry.ref);
    this.#seen = now;
    if (changed.length === 0) return;
    try {
      await this.listener(changed);
    } catch (error) {
      this.log.error('an exchange account change could not be applied', { accounts: changed.map(accountKey).join(','), error: (error as Error)?.name ?? 'Error' });
    }
  }

  #snapshot(): Map<string, { ref: AccountRef; version: string }> {
    return new Map(this.accounts.list().map((account) => [accountKey(account), { ref: { exchange: account.exchange, account: account.account }, version: account.updatedAt }]));
  }
}
