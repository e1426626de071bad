/** How long to wait before the next try to reopen the event stream: quick at first, then every 10 s. */
const DELAYS_MS = [500, 1_000, 2_000, 5_000, 10_000];

export function retryDelayMs(attempt: number): number {
  return DELAYS_MS[Math.min(Math.max(attempt, 0), DELAYS_MS.length - 1)] as number;
}
