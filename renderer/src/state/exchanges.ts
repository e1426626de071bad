import { ACCOUNT_NAME_HINT, accountKey, DEFAULT_ACCOUNT, defaultAccountOf, isAccountName } from '../../../shared/account-names.js';
import { EXCHANGE_NAMES, type ExchangeName, isExchangeName } from '../../../shared/exchange-names.js';

/**
 * Exchange accounts as the Exchanges page shows them. GET /api/exchanges is new; its answer is read
 * leniently (a list, or an object keyed by exchange name; the key masked under any of the usual names)
 * so the page keeps working while that endpoint settles. A secret is never shown, even if sent.
 */
export interface ExchangeAccount {
  exchange: ExchangeName;
  /** Its name among the exchange's accounts: `default` unless named. */
  account: string;
  configured: boolean;
  apiKeyMasked: string | null;
  baseUrl: string | null;
  /** When the credentials were last set. */
  updatedAt: string | null;
  /** Anything else the engine says about it (e.g. the last test), as text. */
  note: string | null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function entryOf(name: string, raw: Record<string, unknown>): ExchangeAccount | null {
  const exchange = (text(raw['exchange']) ?? text(raw['name']) ?? name).toLowerCase();
  if (!isExchangeName(exchange)) return null;
  const masked = text(raw['apiKeyMasked']) ?? text(raw['maskedApiKey']) ?? text(raw['apiKey']) ?? text(raw['masked']) ?? text(raw['key']);
  const configured = typeof raw['configured'] === 'boolean' ? raw['configured'] : masked !== null;
  return {
    exchange,
    account: text(raw['account']) ?? DEFAULT_ACCOUNT,
    configured,
    apiKeyMasked: masked,
    baseUrl: text(raw['baseUrl']) ?? text(raw['base_url']),
    updatedAt: text(raw['updatedAt']) ?? text(raw['updated_at']),
    note: text(raw['message']) ?? text(raw['note']) ?? text(raw['error']),
  };
}

/** Every exchange's default account, configured or not, in the spec's order, each followed by its named accounts. */
export function normalizeExchangeAccounts(raw: unknown): ExchangeAccount[] {
  const found = new Map<string, ExchangeAccount>();
  const container = raw && typeof raw === 'object' && !Array.isArray(raw) && Array.isArray((raw as { exchanges?: unknown }).exchanges) ? (raw as { exchanges: unknown[] }).exchanges : raw;
  const entries: [string, unknown][] = Array.isArray(container)
    ? container.map((item) => ['', item])
    : container && typeof container === 'object'
      ? Object.entries(container as Record<string, unknown>)
      : [];
  for (const [name, item] of entries) {
    if (!item || typeof item !== 'object') continue;
    const account = entryOf(name, item as Record<string, unknown>);
    if (account) found.set(accountKey(account), account);
  }
  return EXCHANGE_NAMES.flatMap((exchange) => [
    found.get(accountKey(defaultAccountOf(exchange))) ?? { exchange, account: DEFAULT_ACCOUNT, configured: false, apiKeyMasked: null, baseUrl: null, updatedAt: null, note: null },
    ...[...found.values()].filter((account) => account.exchange === exchange && account.account !== DEFAULT_ACCOUNT).sort((a, b) => a.account.localeCompare(b.account)),
  ]);
}

export interface CredentialsForm {
  apiKey: string;
  secret: string;
  baseUrl: string;
}

/** The body of PUT /api/exchanges/:name, or what is wrong with the form. */
export function credentialsBody(form: CredentialsForm): { ok: true; value: { apiKey: string; secret: string; baseUrl?: string } } | { ok: false; field: keyof CredentialsForm; message: string } {
  const apiKey = form.apiKey.trim();
  const secret = form.secret.trim();
  const baseUrl = form.baseUrl.trim();
  if (apiKey === '') return { ok: false, field: 'apiKey', message: 'API key: expected the key from the exchange' };
  if (secret === '') return { ok: false, field: 'secret', message: 'Secret: expected the secret from the exchange' };
  if (baseUrl !== '') {
    let url: URL | null = null;
    try {
      url = new URL(baseUrl);
    } catch {
      url = null;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol)) return { ok: false, field: 'baseUrl', message: 'Base URL: expected an http(s) URL, e.g. https://api.bybit.com' };
    return { ok: true, value: { apiKey, secret, baseUrl } };
  }
  return { ok: true, value: { apiKey, secret } };
}

/** The answer of POST /api/exchanges/:name/test, in one line. */
export function describeTestResult(raw: unknown): { ok: boolean; message: string } {
  if (!raw || typeof raw !== 'object') return { ok: false, message: 'The engine gave no answer to the test.' };
  const body = raw as { ok?: unknown; message?: unknown; error?: unknown; detail?: unknown; currencies?: unknown };
  const error = body.error && typeof body.error === 'object' ? (body.error as { message?: unknown }).message : body.error;
  if (body.ok === false || typeof error === 'string') {
    return { ok: false, message: typeof error === 'string' ? error : typeof body.message === 'string' ? body.message : 'The connection test failed.' };
  }
  const message =
    typeof body.message === 'string'
      ? body.message
      : typeof body.detail === 'string'
        ? body.detail
        : typeof body.currencies === 'number'
          ? `Connected: the exchange accepted the credentials and returned a balance (${body.currencies} currencies).`
          : 'The exchange accepted the credentials.';
  return { ok: true, message };
}

/** The "Add an account" form: which exchange, and the new account's name (then the credentials form). */
export interface NewAccountForm {
  exchange: ExchangeName | '';
  name: string;
}

/** The new account, not set up yet (its card then takes the credentials), or what is wrong with the form. */
export function newAccount(form: NewAccountForm, existing: readonly ExchangeAccount[]): { ok: true; value: ExchangeAccount } | { ok: false; field: keyof NewAccountForm; message: string } {
  if (form.exchange === '') return { ok: false, field: 'exchange', message: 'Exchange: pick the exchange the account is on' };
  const name = form.name.trim();
  if (name === '') return { ok: false, field: 'name', message: 'Name: expected a name for the account, e.g. main or sub2' };
  if (!isAccountName(name)) return { ok: false, field: 'name', message: `Name: expected ${ACCOUNT_NAME_HINT}, got ${JSON.stringify(name)}` };
  if (name === DEFAULT_ACCOUNT) return { ok: false, field: 'name', message: `Name: ${DEFAULT_ACCOUNT} is ${form.exchange}'s own account, whose card is on this page; pick another name` };
  if (existing.some((account) => account.exchange === form.exchange && account.account === name && account.configured)) {
    return { ok: false, field: 'name', message: `Name: ${form.exchange} already has an account named ${name}; replace its credentials on its card` };
  }
  return { ok: true, value: { exchange: form.exchange, account: name, configured: false, apiKeyMasked: null, baseUrl: null, updatedAt: null, note: null } };
}
