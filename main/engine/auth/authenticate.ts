import { ApiError } from '../http/api-error.js';
import type { OrderCredentials } from '../../../shared/order-request.js';
import type { Settings } from '../store/settings.js';
import type { ListenerKind } from '../http/listener.js';
import type { ApiKeys } from './api-keys.js';
import { TRADINGVIEW_WEBHOOK_ADDRESSES } from './client-address.js';
import { ReplayGuard } from './replay-guard.js';
import { type RequestOrigin, signedUrlCandidates } from './request-url.js';
import { bodyDigestWithoutSign } from './body-signature.js';
import { signatureDigestOf, signatureMatches } from './signature.js';
import type { Strategy } from '../store/strategies.js';

/** Who is placing an order: an API key (signed or, for TradingView keys, by key alone) or the UI's user. */
export type Principal =
  | {
      kind: 'api-key';
      keyId: number;
      label: string;
      tradingview: boolean;
      strategies: string[];
      signed: boolean;
      /** A signed request's signature, as the journal records it with the order (null: unsigned). */
      signatureDigest: string | null;
    }
  | { kind: 'ui' }
  /**
   * Flatten (the Positions page, the tray, `apisify flatten`): the user closing what is open, allowed
   * while trading is paused, on the strategy the order is journaled under as given (its allow-lists and
   * caps do not stand between a trader and closing a position).
   */
  | { kind: 'flatten'; strategy: Strategy };

export interface RequestContext {
  origin: RequestOrigin;
  clientAddress: string | null;
  /** The listener the request reached: TradingView's address check applies to the tunnel's. */
  listener: ListenerKind;
  /** Whether the request's forwarded headers are believed, for the URL it may have signed. */
  trustForwarded: boolean;
  /** The body exactly as sent: what a key with signBody signs besides the URL. */
  body: string;
}

const LAST_USED_EVERY_MS = 60_000;

export class Authenticator {
  readonly #replays = new ReplayGuard();
  readonly #lastUsedWritten = new Map<number, number>();

  /** `spentSignatures` tells whether the journal already holds an order with a signature digest: the replay memory that survives a restart. */
  constructor(
    private readonly apiKeys: ApiKeys,
    private readonly settings: () => Settings,
    private readonly spentSignatures: (signatureDigest: string) => boolean = () => false,
  ) {}

  async authenticate(credentials: OrderCredentials, request: RequestContext, now = Date.now()): Promise<Principal & { kind: 'api-key' }> {
    const settings = this.settings();
    const key = this.apiKeys.findActive(credentials.apikey);
    if (!key) throw new ApiError(401, 'invalid_apikey', 'apikey: no active API key matches; check it, or create one (it may have been revoked)', 'apikey');

    const { timestamp, sign } = credentials;
    if (timestamp === null && sign === null) {
      if (!key.tradingview) {
        throw new ApiError(401, 'signature_required', 'sign is required: only keys created as TradingView keys may omit timestamp and sign', 'sign');
      }
      // Local requests on the main port all come from this machine; the check is for what the tunnel brings.
      if (request.listener === 'tunnel' && settings.tradingViewAddressCheck && !TRADINGVIEW_WEBHOOK_ADDRESSES.includes(request.clientAddress ?? '')) {
        throw new ApiError(403, 'address_not_allowed', `this TradingView key only accepts requests from TradingView's webhook addresses, not ${request.clientAddress ?? 'an unknown address'}`, 'apikey');
      }
      this.#noteUse(key.id, now);
      return { kind: 'api-key', keyId: key.id, label: key.label, tradingview: true, strategies: key.strategies, signed: false, signatureDigest: null };
    }
    if (timestamp === null) throw new ApiError(401, 'missing_field', 'timestamp is required with sign', 'timestamp');
    if (sign === null) throw new ApiError(401, 'signature_required', 'sign is required with timestamp', 'sign');

    const window = settings.signatureWindowMs;
    if (Math.abs(now - timestamp) > window) {
      throw new ApiError(
        401,
        'timestamp_out_of_window',
        `timestamp: expected Unix milliseconds within ±${window / 1000} s of the server's clock (${now}), got ${timestamp}; check the sender's clock`,
        'timestamp',
      );
    }

    const secret = await this.apiKeys.secretOf(key.id);
    // Re-read: the key may have been revoked while the keychain answered.
    if (secret === null || !this.apiKeys.findActive(credentials.apikey)) {
      throw new ApiError(401, 'invalid_apikey', 'apikey: no active API key matches; check it, or create one (it may have been revoked)', 'apikey');
    }
    const urls = signedUrlCandidates(request.origin, { publicUrl: settings.publicUrl, trustProxyHeaders: request.trustForwarded });
    const bodyDigest = key.signBody ? bodyDigestWithoutSign(request.body) : null;
    if (key.signBody && bodyDigest === null) {
      throw new ApiError(401, 'invalid_signature', 'sign: this key signs its bodies, so sign must be the last field of the body (the signed text is the body without it)', 'sign');
    }
    if (!signatureMatches(secret, timestamp, urls, sign, bodyDigest)) {
      const payload = key.signBody ? '`${timestamp}POST${url}${sha256(body without sign)}`' : '`${timestamp}POST${url}`';
      throw new ApiError(
        401,
        'invalid_signature',
        `sign: does not match; expected lowercase hex HMAC-SHA256, keyed with your secret key, of ${payload} where url is the URL you posted to (${urls.join(' or ')})`,
        'sign',
      );
    }
    // Hex is case-blind: the same signature in capitals is the same signature.
    const signatureDigest = signatureDigestOf(sign);
    // In memory for requests this run refused after this point (they leave no journal row); in the
    // journal for every order accepted with it, in any run (the order's INSERT is the final word).
    if (this.spentSignatures(signatureDigest) || !this.#replays.claim(signatureDigest, timestamp + window + 1, now)) {
      throw replayed();
    }
    this.#noteUse(key.id, now);
    return { kind: 'api-key', keyId: key.id, label: key.label, tradingview: key.tradingview, strategies: key.strategies, signed: true, signatureDigest };
  }

  /** last_used_at is for the UI, so it is written at most once a minute per key, off the hot path. */
  #noteUse(keyId: number, now: number): void {
    const last = this.#lastUsedWritten.get(keyId) ?? 0;
    if (now - last < LAST_USED_EVERY_MS) return;
    this.#lastUsedWritten.set(keyId, now);
    this.apiKeys.markUsed(keyId);
  }
}

/** The answer to a signature that was already used. */
export function replayed(): ApiError {
  return new ApiError(409, 'replayed_request', 'sign: this signature was already used; sign every request with a fresh timestamp', 'sign');
}
