import { sideLabel, sideTone } from '../state/order-format.js';

/** What the side means (Buy, Sell, Close, SAR buy/sell), green for buying, red for selling; the request's spelling on hover. */
export function Side({ side }: { side: string }) {
  const label = sideLabel(side);
  return (
    <span className={`side side-${sideTone(side)}`} title={label === side ? undefined : `sent as "${side}"`}>
      {label}
    </span>
  );
}
