import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EncryptedFileStore } from '../../main/engine/secrets/encrypted-file-store.js';
import { tempDataDir } from '../support/apisify-process.js';

describe('EncryptedFileStore', () => {
  it('keeps secrets encrypted on disk and reads them back with the password', async () => {
    const path = join(tempDataDir(), 'secrets.enc');
    const store = EncryptedFileStore.open(path, 'a long password');
    await store.set('exchange/bybit/secret', 'TOPSECRETVALUE');
    expect(readFileSync(path, 'utf8')).not.toContain('TOPSECRETVALUE');
    expect(await EncryptedFileStore.open(path, 'a long password').get('exchange/bybit/secret')).toBe('TOPSECRETVALUE');
    await store.delete('exchange/bybit/secret');
    expect(await EncryptedFileStore.open(path, 'a long password').get('exchange/bybit/secret')).toBeNull();
  });

  it('refuses a wrong password and a short one', async () => {
    const path = join(tempDataDir(), 'secrets.enc');
    await EncryptedFileStore.open(path, 'a long password').set('a', 'b');
    expect(() => EncryptedFileStore.open(path, 'another password')).toThrow(/does not open/);
    expect(() => EncryptedFileStore.open(join(tempDataDir(), 'x.enc'), 'short')).toThrow(/at least 8/);
  });

  it('sees a secret written by another process (the CLI) without reopening', async () => {
    const path = join(tempDataDir(), 'secrets.enc');
    const server = EncryptedFileStore.open(path, 'a long password');
    expect(await server.get('k')).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await EncryptedFileStore.open(path, 'a long password').set('k', 'v');
    expect(await server.get('k')).toBe('v');
  });
});
