import { createHash } from 'node:crypto';

/**
 * The body a key with `signBody` signs: the request's exact text with its `sign` member removed.
 * The client serializes every field but `sign`, hashes that text, and appends `sign` as the body's
 * last member (`payload[:-1] + ', "sign": "…"}'`); removing that member (and the comma before it)
 * gives back the bytes it hashed. Nothing is re-serialized, so no JSON library's number or spacing
 * habits can make two sides disagree.
 */
const LAST_SIGN_MEMBER = /\s*,\s*"sign"\s*:\s*"[0-9A-Fa-f]*"\s*(\}\s*)$/;

/** The SHA-256 (lowercase hex) of the body without its `sign`, or null when `sign` is not the body's last member. */
export function bodyDigestWithoutSign(body: string): string | null {
  if (!LAST_SIGN_MEMBER.test(body)) return null;
  return createHash('sha256').update(body.replace(LAST_SIGN_MEMBER, '$1'), 'utf8').digest('hex');
}
