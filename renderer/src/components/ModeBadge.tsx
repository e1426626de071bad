/** LIVE (real money) or DRY-RUN (simulated), the same way on every page. */
export function ModeBadge({ dryRun }: { dryRun: boolean }) {
  return dryRun ? (
    <span className="mode mode-dry" title="Dry-run: simulated fills, nothing reaches the exchange">DRY-RUN</span>
  ) : (
    <span className="mode mode-live" title="Live: real orders on the exchange">LIVE</span>
  );
}
