import { useEngine } from '../engine/EngineProvider.js';

/** Paused trading is not something to notice late: it is said above every page. */
export function PausedBanner() {
  const { status } = useEngine();
  if (!status?.paused) return null;
  return (
    <div className="paused-banner" role="status" data-testid="paused-banner">
      Trading is paused: /v1/order and manual orders are refused (503) until you resume it with the switch below.
    </div>
  );
}
