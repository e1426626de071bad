import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import ccxt from 'ccxt';
import { describe, expect, it, vi } from 'vitest';
import { createCcxtExchange } from '../../main/engine/exchanges/ccxt/ccxt-exchange.js';
import { nativeHmac } from '../../main/engine/exchanges/ccxt/native-hmac.js';

/** As ccxt's hmac takes them (noble's CHash). */
type HashFunction = Parameters<InstanceType<typeof ccxt.binance>['hmac']>[2];

/** The hash functions ccxt itself signs with, resolved from ccxt's own dependencies (apisify imports none of them). */
async function ccxtHashes(): Promise<Record<'sha256' | 'sha384' | 'sha512' | 'sha1' | 'md5' | 'keccak_256', HashFunction>> {
  const fromCcxt = createRequire(createRequire(import.meta.url).resolve('ccxt'));
  const load = async (path: string) => (await import(pathToFileURL(fromCcxt.resolve(path)).href)) as Record<string, HashFunction>;
  const [sha2, legacy, sha3] = await Promise.all([load('@noble/hashes/sha2.js'), load('@noble/hashes/legacy.js'), load('@noble/hashes/sha3.js')]);
  return { sha256: sha2.sha256!, sha384: sha2.sha384!, sha512: sha2.sha512!, sha1: legacy.sha1!, md5: legacy.md5!, keccak_256: sha3.keccak_256! };
}

const ccxtHmac = new ccxt.binance().hmac;
const encode = (text: string) => new TextEncoder().encode(text);

describe('nativeHmac', () => {
  it('signs as ccxt does, for every hash Node has and every digest, from text and from bytes', async () => {
    const hashes = await ccxtHashes();
    const hmac = nativeHmac(ccxtHmac);
    const request = 'symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&timestamp=1733333333333&recvWindow=10000';
    const secret = 'sëcret-ключ-' + 'k'.repeat(70); // longer than a block: HMAC hashes the key first
    for (const name of ['sha256', 'sha384', 'sha512', 'sha1', 'md5'] as const) {
      for (const digest of ['hex', 'base64'] as const) {
        expect(hmac(request, secret, hashes[name], digest), `${name} ${digest}`).toBe(ccxtHmac(request, secret, hashes[name], digest));
        expect(hmac(encode(request), encode(secret), hashes[name], digest), `${name} ${digest} bytes`).toBe(ccxtHmac(encode(request), encode(secret), hashes[name], digest));
      }
      const binary = hmac(request, secret, hashes[name], 'binary') as Uint8Array;
      expect(binary, name).toBeInstanceOf(Uint8Array);
      expect([...binary], name).toEqual([...(ccxtHmac(request, secret, hashes[name], 'binary') as Uint8Array)]);
    }
    // hex by default, as ccxt's
    expect(hmac(request, secret, hashes.sha256)).toBe(createHmac('sha256', secret).update(request).digest('hex'));
  });

  it('leaves a hash Node does not compute to ccxt', async () => {
    const hashes = await ccxtHashes();
    const fallback = vi.fn(ccxtHmac);
    const hmac = nativeHmac(fallback);
    expect(hmac('message', 'secret', hashes.keccak_256, 'hex')).toBe(ccxtHmac('message', 'secret', hashes.keccak_256, 'hex'));
    expect(fallback).toHaveBeenCalledTimes(1);
    hmac('message', 'secret', hashes.sha256, 'hex');
    expect(fallback).toHaveBeenCalledTimes(1);
  });

  it('is what every instance apisify builds signs with', async () => {
    const secret = 'binance-secret-for-the-test';
    const exchange = await createCcxtExchange({ exchange: 'binance', marketType: 'swap', credentials: { apiKey: 'binance-key', secret }, baseUrl: null, timeoutMs: 5_000, budget: null });
    try {
      expect(exchange.hmac).not.toBe(ccxtHmac);
      const signed = exchange.sign('order', 'fapiPrivate', 'POST', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01' }) as { url: string; body?: string };
      const query = signed.body ?? new URL(signed.url).search.slice(1);
      const [unsigned, signature] = query.split('&signature=');
      expect(signature).toMatch(/^[0-9a-f]{64}$/);
      expect(signature).toBe(createHmac('sha256', secret).update(unsigned as string).digest('hex'));
    } finally {
      await exchange.close();
    }
  });
});
