/** Midnight on this machine's clock, ISO: where "today" begins for the status bar's count and for PnL. */
export function startOfToday(now = new Date()): string {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString();
}
