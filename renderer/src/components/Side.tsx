import { sideTone } from '../state/order-format.js';

/** The side as the request spelled it, green for buying, red for selling. */
export function Side({ side }: { side: string }) {
  return <span className={`side side-${sideTone(side)}`}>{side}</span>;
}
