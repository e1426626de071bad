import { formatAmount } from '../../../shared/decimal.js';
import type { Strategy } from '../../../shared/api-types.js';
import { QTY_UNIT_LABELS } from './qty-units.js';
import { groupThousands } from './order-format.js';

/**
 * How a strategy shapes its orders, in the few words the Strategies table shows: what differs from
 * sending each order exactly as asked (the defaults say nothing), and a dry run's simulated balance,
 * which percent sizing reads.
 */
export function shapingSummary(strategy: Pick<Strategy, 'qtyUnit' | 'maxNotional' | 'leverage' | 'maxLeverage' | 'marginMode' | 'stopLossPercent' | 'takeProfitPercent' | 'maxLag' | 'onProtectionFailure' | 'dryRunBalance' | 'mode'>): string[] {
  const number = (value: number) => groupThousands(formatAmount(value));
  const parts: string[] = [];
  if (strategy.qtyUnit !== 'base') parts.push(`qty in ${QTY_UNIT_LABELS[strategy.qtyUnit]}`);
  if (strategy.maxNotional !== null) parts.push(`value ≤ ${number(strategy.maxNotional)}`);
  if (strategy.leverage !== null) parts.push(`${number(strategy.leverage)}x`);
  if (strategy.maxLeverage !== null) parts.push(`request leverage ≤ ${number(strategy.maxLeverage)}x`);
  if (strategy.marginMode !== null) parts.push(strategy.marginMode);
  if (strategy.stopLossPercent !== null) parts.push(`SL ${number(strategy.stopLossPercent)} %`);
  if (strategy.takeProfitPercent !== null) parts.push(`TP ${number(strategy.takeProfitPercent)} %`);
  if (strategy.maxLag !== null) parts.push(`max lag ${number(strategy.maxLag)} s`);
  if (strategy.onProtectionFailure === 'close') parts.push('closes if protection fails');
  if (strategy.mode === 'dry-run') parts.push(`balance ${number(strategy.dryRunBalance)}`);
  return parts;
}
