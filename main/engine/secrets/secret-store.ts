/**
 * Where secrets live: the OS keychain, or an encrypted file where no keychain exists.
 * Accounts are names like `apikey-secret/12` or `exchange/bybit/secret`; values never leave the engine
 * except to sign or verify.
 */
export interface SecretStore {
  readonly kind: 'keychain' | 'encrypted-file';
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<void>;
}

export const SERVICE_NAME = 'apisify';

/** Thrown when no secret store can be opened; the message says why and how to fix it. */
export class SecretStoreUnavailable extends Error {
  override readonly name = 'SecretStoreUnavailable';
}
