import { createHash, createHmac } from 'node:crypto';
import type { Exchange } from 'ccxt';

type CcxtHmac = Exchange['hmac'];
type Input = string | Uint8Array;
/** ccxt's hash functions (noble's): a function of the bytes, to their digest. */
type HashFunction = Parameters<CcxtHmac>[2];

/** The hashes Node computes natively that ccxt's exchanges sign with, by their digest of a known input. */
const NATIVE_HASHES = ['sha256', 'sha512', 'sha384', 'sha1', 'md5'] as const;
const PROBE = new TextEncoder().encode('apisify hmac probe');
const DIGEST_OF_PROBE = new Map(NATIVE_HASHES.map((name) => [createHash(name).update(PROBE).digest('hex'), name]));

/**
 * ccxt's `hmac` with Node's own HMAC where Node has the hash: ccxt computes it in JavaScript (noble),
 * about 70 µs more for every signed request on a slow machine, every create included. Which hash
 * ccxt asked for is known by what the function it passed computes (its digest of a fixed input, once
 * per function), not by its identity: apisify does not import ccxt's hash modules. Any other hash
 * (keccak, say) and any other digest than hex, base64 or binary go to ccxt's own.
 */
export function nativeHmac(ccxtHmac: CcxtHmac): CcxtHmac {
  const nameOf = new WeakMap<object, string | null>();
  const nativeName = (hash: HashFunction): string | null => {
    let name = nameOf.get(hash);
    if (name === undefined) {
      name = DIGEST_OF_PROBE.get(Buffer.from(hash(PROBE)).toString('hex')) ?? null;
      nameOf.set(hash, name);
    }
    return name;
  };
  return (request: Input, secret: Input, hash: HashFunction, digest: 'hex' | 'base64' | 'binary' = 'hex') => {
    const name = typeof hash === 'function' ? nativeName(hash) : null;
    if (name === null || (digest !== 'hex' && digest !== 'base64' && digest !== 'binary')) return ccxtHmac(request, secret, hash, digest);
    const mac = createHmac(name, secret).update(request).digest();
    if (digest === 'binary') return new Uint8Array(mac.buffer, mac.byteOffset, mac.length);
    return mac.toString(digest);
  };
}
