/** TradingView's published webhook source addresses (TradingView help: "How to configure webhook alerts"). */
export const TRADINGVIEW_WEBHOOK_ADDRESSES: readonly string[] = ['52.89.214.238', '34.212.75.30', '54.218.53.128', '52.32.178.7'];

export interface ClientAddressHeaders {
  socketAddress: string | undefined;
  forwardedFor: string | undefined;
}

function normalize(address: string | undefined): string | null {
  if (!address) return null;
  const trimmed = address.trim();
  return trimmed.startsWith('::ffff:') ? trimmed.slice(7) : trimmed || null;
}

/**
 * Who sent the request. Forwarded headers are anyone's to forge, so they count only when the user
 * said a tunnel or proxy in front of us sets them, and then only the last X-Forwarded-For entry: the
 * one that proxy appended (Cloudflare, ngrok and nginx all append). Earlier entries, and any other
 * header, may have come from the sender: CF-Connecting-IP, say, is overwritten by Cloudflare but passed
 * through unchanged by other proxies.
 */
export function clientAddress(headers: ClientAddressHeaders, trustProxyHeaders: boolean): string | null {
  if (trustProxyHeaders) {
    const forwarded = normalize(headers.forwardedFor?.split(',').at(-1));
    if (forwarded) return forwarded;
  }
  return normalize(headers.socketAddress);
}
