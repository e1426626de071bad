import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The spec's signature: lowercase hex HMAC-SHA256 with the key's secret over `${timestamp}POST${url}`.
 * For a key that signs its bodies, the body's digest (body-signature.ts) follows: `${timestamp}POST${url}${bodyDigest}`.
 */
export function signOrderRequest(secret: string, timestamp: number, url: string, bodyDigest: string | null = null): string {
  return createHmac('sha256', secret).update(`${timestamp}POST${url}${bodyDigest ?? ''}`).digest('hex');
}

/** What the journal keeps of an accepted signature (store/journal.ts): its SHA-256, of the lowercase hex the spec defines. */
export function signatureDigestOf(sign: string): string {
  return createHash('sha256').update(sign.toLowerCase()).digest('hex');
}

/** True when `sign` matches the signature over any of the URLs the client may have posted to. Constant time per comparison. */
export function signatureMatches(secret: string, timestamp: number, urls: readonly string[], sign: string, bodyDigest: string | null = null): boolean {
  const given = Buffer.from(sign.toLowerCase(), 'utf8');
  let matched = false;
  for (const url of urls) {
    const expected = Buffer.from(signOrderRequest(secret, timestamp, url, bodyDigest), 'utf8');
    // Every candidate is compared, so timing does not tell which URL (if any) matched.
    if (expected.length === given.length && timingSafeEqual(expected, given)) matched = true;
  }
  return matched;
}
