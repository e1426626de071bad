/**
 * The journal's reads of protective legs in force. Each names the partial index that holds only
 * those legs (migration 16): a plain Buy or Sell reads them before it goes out, and every fill after,
 * so without it each read walks every leg ever journaled (17 ms at 100,000 orders). INDEXED BY makes
 * a query the index cannot serve fail when it is prepared, at start-up, not slow down as the journal
 * grows; CROSS JOIN keeps those legs the outer loop, where the planner would otherwise walk every
 * order of the strategy (orders_by_strategy) and look each up among them.
 */
const IN_FORCE = `SELECT l.*, o.strategy FROM order_legs l INDEXED BY order_legs_protective_in_force CROSS JOIN orders o ON o.id = l.order_id
    WHERE l.role != 'entry' AND l.status IN ('received', 'submitted', 'open', 'partially_filled')`;

export const PROTECTIVE_LEGS_SQL = {
  /** Of one live exchange account, on one market: parameters exchange, account, market symbol. */
  ofAccount: `${IN_FORCE} AND o.exchange = ? AND o.account = ? AND o.market_symbol = ? AND o.dry_run = 0 ORDER BY l.order_id, l.leg`,
  /** Of one dry run's simulated book (its strategy's on the exchange): exchange, strategy, market symbol. */
  ofDryRun: `${IN_FORCE} AND o.exchange = ? AND o.strategy = ? AND o.market_symbol = ? AND o.dry_run = 1 ORDER BY l.order_id, l.leg`,
  /** Those apisify decided to cancel (wantCancel). */
  cancelWanted: `${IN_FORCE} AND l.cancel_wanted_at IS NOT NULL ORDER BY l.order_id, l.leg`,
} as const;
