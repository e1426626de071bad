import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { type SecretStore, SecretStoreUnavailable } from './secret-store.js';

/**
 * For machines without a keychain (a headless Linux server): all secrets in one file, encrypted with
 * AES-256-GCM under a key derived by scrypt from APISIFY_MASTER_PASSWORD. Never plaintext on disk.
 */
interface SealedFile {
  version: 1;
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export class EncryptedFileStore implements SecretStore {
  readonly kind = 'encrypted-file' as const;
  #secrets: Map<string, string>;
  #chain: Promise<void> = Promise.resolve();
  /** The file's mtime when last read or written: the CLI and a running server share the file. */
  #seen = 0;

  private constructor(private readonly path: string, private readonly key: Buffer, private readonly salt: Buffer, secrets: Map<string, string>) {
    this.#secrets = secrets;
    this.#seen = existsSync(path) ? statSync(path).mtimeMs : 0;
  }

  static open(path: string, password: string): EncryptedFileStore {
    if (password.length < 8) throw new SecretStoreUnavailable('APISIFY_MASTER_PASSWORD must be at least 8 characters');
    if (!existsSync(path)) {
      const salt = randomBytes(16);
      const store = new EncryptedFileStore(path, deriveKey(password, salt), salt, new Map());
      store.#save();
      return store;
    }
    const sealed = JSON.parse(readFileSync(path, 'utf8')) as SealedFile;
    const salt = Buffer.from(sealed.salt, 'base64');
    const key = deriveKey(password, salt);
    return new EncryptedFileStore(path, key, salt, unseal(sealed, key, path));
  }

  async get(account: string): Promise<string | null> {
    await this.#chain;
    this.#reloadIfChanged();
    return this.#secrets.get(account) ?? null;
  }

  set(account: string, secret: string): Promise<void> {
    return this.#change(() => this.#secrets.set(account, secret));
  }

  delete(account: string): Promise<void> {
    return this.#change(() => this.#secrets.delete(account));
  }

  #change(apply: () => void): Promise<void> {
    this.#chain = this.#chain.then(() => {
      this.#reloadIfChanged();
      apply();
      this.#save();
    });
    return this.#chain;
  }

  /** Write-then-rename, so a crash leaves the old file or the new one, never half of one. */
  #save(): void {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(Object.fromEntries(this.#secrets)), 'utf8'), cipher.final()]);
    const sealed: SealedFile = { version: 1, salt: this.salt.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    writeFileSync(`${this.path}.tmp`, JSON.stringify(sealed), { mode: 0o600 });
    renameSync(`${this.path}.tmp`, this.path);
    this.#seen = statSync(this.path).mtimeMs;
  }

  #reloadIfChanged(): void {
    const mtime = statSync(this.path).mtimeMs;
    if (mtime === this.#seen) return;
    this.#secrets = unseal(JSON.parse(readFileSync(this.path, 'utf8')) as SealedFile, this.key, this.path);
    this.#seen = mtime;
  }
}

function unseal(sealed: SealedFile, key: Buffer, path: string): Map<string, string> {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
    return new Map(Object.entries(JSON.parse(plain) as Record<string, string>));
  } catch {
    throw new SecretStoreUnavailable(`APISIFY_MASTER_PASSWORD does not open ${path} (wrong password or a damaged file)`);
  }
}

function deriveKey(password: string, salt: Buffer): Buffer {
  return scryptSync(password, salt, 32, SCRYPT);
}
