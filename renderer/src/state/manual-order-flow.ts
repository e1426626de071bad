import type { ApiErrorBody } from '../../../shared/api-response.js';
import type { OrderPreviewAnswer } from '../../../shared/manual-order-api.js';
import { formFieldOf, type ManualOrderForm } from './manual-order.js';

/**
 * The manual order's steps: edit, ask the engine for a preview, confirm what it showed, send. The confirm
 * is possible only with a preview of exactly the body that will be sent: any edit drops the preview, and an
 * answer to a request made before the edit is ignored (each request carries a ticket).
 */
export type EnginePreview = OrderPreviewAnswer['preview'];

export type ManualOrderFlow =
  | { kind: 'editing' }
  | { kind: 'previewing'; ticket: number; body: Record<string, unknown> }
  | { kind: 'previewed'; body: Record<string, unknown>; preview: EnginePreview }
  | { kind: 'refused'; body: Record<string, unknown>; status: number; error: ApiErrorBody }
  | { kind: 'sending'; body: Record<string, unknown>; preview: EnginePreview };

export type FlowEvent =
  | { type: 'edited' }
  | { type: 'preview-requested'; ticket: number; body: Record<string, unknown> }
  | { type: 'preview-answered'; ticket: number; status: number; json: unknown }
  | { type: 'preview-failed'; ticket: number; error: ApiErrorBody }
  | { type: 'confirmed' }
  | { type: 'finished' };

export const EDITING: ManualOrderFlow = { kind: 'editing' };

export function manualOrderFlow(state: ManualOrderFlow, event: FlowEvent): ManualOrderFlow {
  switch (event.type) {
    case 'edited':
      // Sending is past the point of no return: an edit then starts the next order, not a change to this one.
      return state.kind === 'sending' ? state : EDITING;
    case 'preview-requested':
      return state.kind === 'sending' ? state : { kind: 'previewing', ticket: event.ticket, body: event.body };
    case 'preview-answered': {
      if (state.kind !== 'previewing' || state.ticket !== event.ticket) return state;
      const answer = readPreviewAnswer(event.status, event.json);
      return answer.ok ? { kind: 'previewed', body: state.body, preview: answer.preview } : { kind: 'refused', body: state.body, status: event.status, error: answer.error };
    }
    case 'preview-failed':
      if (state.kind !== 'previewing' || state.ticket !== event.ticket) return state;
      return { kind: 'refused', body: state.body, status: 0, error: event.error };
    case 'confirmed':
      return state.kind === 'previewed' ? { kind: 'sending', body: state.body, preview: state.preview } : state;
    case 'finished':
      return EDITING;
  }
}

/** True only while a preview of the body to send is on screen. */
export function canConfirm(state: ManualOrderFlow): state is Extract<ManualOrderFlow, { kind: 'previewed' }> {
  return state.kind === 'previewed';
}

/** POST /api/orders/preview's answer, read defensively: a preview, or the API's error. */
export function readPreviewAnswer(status: number, json: unknown): { ok: true; preview: EnginePreview } | { ok: false; error: ApiErrorBody } {
  const body = json && typeof json === 'object' ? (json as Record<string, unknown>) : {};
  const preview = body['preview'];
  if (status === 200 && body['ok'] === true && preview && typeof preview === 'object' && typeof (preview as { plan?: unknown }).plan === 'string' && Array.isArray((preview as { orders?: unknown }).orders)) {
    return { ok: true, preview: preview as EnginePreview };
  }
  const error = body['error'] as Partial<ApiErrorBody> | undefined;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    return { ok: false, error: { code: error.code, message: error.message, ...(typeof error.field === 'string' ? { field: error.field } : {}) } };
  }
  return { ok: false, error: { code: 'http_error', message: `the preview answered HTTP ${status} without a preview` } };
}

/** A refusal about one of the form's fields is shown on that field too (a stop-loss percent on the stop-loss input). */
export function fieldErrorOf(state: ManualOrderFlow, form: ManualOrderForm): Partial<Record<keyof ManualOrderForm, string>> {
  const field = state.kind === 'refused' ? formFieldOf(state.error.field, form) : null;
  return field && state.kind === 'refused' ? { [field]: state.error.message } : {};
}
