import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { SERVICE_NAME, type SecretStore, SecretStoreUnavailable } from './secret-store.js';

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

const require = createRequire(import.meta.url);

/** The OS keychain (macOS Keychain, Windows Credential Vault, a Secret Service on Linux) through keytar. */
export class KeychainStore implements SecretStore {
  readonly kind = 'keychain' as const;

  private constructor(private readonly keytar: Keytar, private readonly service: string) {}

  /** Opens the keychain and proves it can write, read back and delete, so a broken one fails at start-up, not mid-order. */
  static async open(service = SERVICE_NAME): Promise<KeychainStore> {
    let keytar: Keytar;
    try {
      keytar = require('@github/keytar') as Keytar;
    } catch (error) {
      throw new SecretStoreUnavailable(`the keychain library could not be loaded (${(error as Error).message})`);
    }
    const store = new KeychainStore(keytar, service);
    const probe = `probe/${randomBytes(6).toString('hex')}`;
    const value = randomBytes(12).toString('hex');
    try {
      await store.set(probe, value);
      const readBack = await store.get(probe);
      await store.delete(probe);
      if (readBack !== value) throw new Error('a value written could not be read back');
    } catch (error) {
      throw new SecretStoreUnavailable(`the OS keychain is not usable: ${(error as Error).message}`);
    }
    return store;
  }

  get(account: string): Promise<string | null> {
    return this.keytar.getPassword(this.service, account);
  }

  set(account: string, secret: string): Promise<void> {
    return this.keytar.setPassword(this.service, account, secret);
  }

  async delete(account: string): Promise<void> {
    await this.keytar.deletePassword(this.service, account);
  }
}
