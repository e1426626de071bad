/**
 * cloudflared logs the quick tunnel's address to stderr inside a box, one log line per box row:
 *
 *   2024-05-01T10:00:03Z INF +--------------------------------------------------------------------------------------------+
 *   2024-05-01T10:00:03Z INF |  Your quick Tunnel has been created! Visit it at (it may take some time to be reachable):  |
 *   2024-05-01T10:00:03Z INF |  https://four-random-words-here.trycloudflare.com                                          |
 *
 * We look for the address itself rather than the box, so a change of decoration does not break us.
 * `api.trycloudflare.com` is the service cloudflared asks for a tunnel; it shows up in its error messages
 * ("failed to request quick Tunnel: Post "https://api.trycloudflare.com/tunnel"") and is never ours.
 */
const QUICK_TUNNEL_URL = /https:\/\/([a-z0-9-]+)\.trycloudflare\.com(?![a-z0-9.-])/gi;

export function quickTunnelUrlIn(line: string): string | null {
  for (const match of line.matchAll(QUICK_TUNNEL_URL)) {
    if (match[1]?.toLowerCase() !== 'api') return match[0].toLowerCase();
  }
  return null;
}
