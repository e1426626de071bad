import { join } from 'node:path';
import { EncryptedFileStore } from './encrypted-file-store.js';
import { KeychainStore } from './keychain-store.js';
import { type SecretStore, SecretStoreUnavailable } from './secret-store.js';

export const ENCRYPTED_SECRETS_FILE = 'secrets.enc';

/**
 * The keychain where there is one; with APISIFY_MASTER_PASSWORD set, the encrypted file instead
 * (a deliberate choice for keychain-less servers). Otherwise refuse to start, saying how to fix it.
 */
export async function openSecretStore(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<SecretStore> {
  const password = env['APISIFY_MASTER_PASSWORD'];
  if (password) return EncryptedFileStore.open(join(dataDir, ENCRYPTED_SECRETS_FILE), password);
  try {
    return await KeychainStore.open();
  } catch (error) {
    const reason = error instanceof SecretStoreUnavailable ? error.message : String(error);
    throw new SecretStoreUnavailable(
      `${reason}. apisify keeps API secrets in the OS keychain. On Linux, run a Secret Service ` +
        '(gnome-keyring or KeePassXC) in your session and unlock it; on a headless server, set ' +
        'APISIFY_MASTER_PASSWORD to keep them in an encrypted file in the data dir instead.',
    );
  }
}
