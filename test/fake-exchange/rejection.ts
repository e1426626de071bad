// Why the books refuse a request, venue-neutral: each venue's routes turn these into its own error codes.

export type RejectReason =
  | 'insufficient_funds'
  | 'duplicate_client_id'
  | 'reduce_only_rejected'
  | 'order_not_found'
  | 'qty_invalid'
  | 'price_invalid'
  | 'notional_too_small'
  | 'position_mode_mismatch'
  | 'protection_invalid'
  | 'no_position'
  | 'would_trigger';

/** A refusal by the matching engine; the venue decides how it looks on the wire. */
export class Rejection extends Error {
  constructor(
    readonly reason: RejectReason,
    message: string,
  ) {
    super(message);
    this.name = 'Rejection';
  }
}
