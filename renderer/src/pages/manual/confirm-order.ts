import type { OrderResponse } from '../../../../shared/api-response.js';
import { canConfirm, type FlowEvent, type ManualOrderFlow } from '../../state/manual-order-flow.js';
import { messageOf } from '../../api/client.js';
import { placeOrder } from '../../api/endpoints.js';

/**
 * The confirm of a previewed manual order (the order form's and a position's Close alike): the flow
 * goes to sending, the order goes with what its preview showed, and the flow is finished whatever the
 * answer. Nothing happens unless the flow holds a preview.
 */
export function confirmPreviewed(
  flow: ManualOrderFlow,
  dispatch: (event: FlowEvent) => void,
  handlers: { answered(answer: { status: number; response: OrderResponse }): void; failed(message: string): void },
): void {
  if (!canConfirm(flow)) return;
  dispatch({ type: 'confirmed' });
  placeOrder(flow.body, flow.preview).then(
    (answer) => {
      handlers.answered(answer);
      dispatch({ type: 'finished' });
    },
    (error: unknown) => {
      handlers.failed(messageOf(error));
      dispatch({ type: 'finished' });
    },
  );
}
