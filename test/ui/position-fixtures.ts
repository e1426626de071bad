import type { PositionView } from '../../shared/positions-api.js';
import type { StrategyOverview } from '../../renderer/src/state/api-types.js';

/** A live position as GET /api/positions gives it, with only what a test cares about changed. */
export function position(changes: Partial<PositionView> = {}): PositionView {
  return {
    exchange: 'bybit',
    account: 'default',
    dryRun: false,
    strategy: null,
    symbol: 'BTC/USDT:USDT',
    marketType: 'swap',
    side: 'long',
    size: '0.03',
    entryPrice: '60000',
    markPrice: '61234.5678',
    unrealizedPnl: '37.037',
    leverage: '10',
    marginMode: 'cross',
    liquidationPrice: '54321.1',
    protection: [],
    strategies: [{ strategy: 'perp', qty: '0.03' }],
    updatedAt: '2025-03-02T10:00:00.000Z',
    ...changes,
  };
}

/** A strategy as GET /api/strategies gives it: live, swap, allowed everywhere, unless changed. */
export function strategy(name: string, changes: Partial<StrategyOverview> = {}): StrategyOverview {
  return {
    id: 1,
    name,
    mode: 'live',
    marketType: 'swap',
    maxQty: null,
    symbols: [],
    exchanges: [],
    accounts: {},
    enabled: true,
    createdAt: '',
    updatedAt: '',
    qtyUnit: 'base',
    maxNotional: null,
    leverage: null,
    maxLeverage: null,
    marginMode: null,
    stopLossPercent: null,
    takeProfitPercent: null,
    maxLag: null,
    onProtectionFailure: 'keep',
    dryRunBalance: 10_000,
    ordersToday: 0,
    lastSignalAt: null,
    positions: [],
    ...changes,
  };
}
