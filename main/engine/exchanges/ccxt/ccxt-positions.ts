import type { Position } from 'ccxt';
import type { PositionRow } from '../venue.js';

/** The position's slot: Bybit's positionIdx (0 one-way, 1 long, 2 short), Binance's positionSide / ps. */
function sideOf(info: Record<string, unknown> | undefined): PositionRow['side'] {
  const index = info?.['positionIdx'];
  if (index !== undefined && index !== null) return String(index) === '1' ? 'long' : String(index) === '2' ? 'short' : 'both';
  const slot = String(info?.['positionSide'] ?? info?.['ps'] ?? 'BOTH').toUpperCase();
  return slot === 'LONG' ? 'long' : slot === 'SHORT' ? 'short' : 'both';
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Bybit sends "0" for no stop-loss or take-profit. */
function positiveOrNull(value: unknown): number | null {
  const number = numberOrNull(value);
  return number !== null && number > 0 ? number : null;
}

/**
 * When the exchange last changed the position. ccxt's `timestamp` is Bybit's createdTime (the
 * position's opening), so the raw updatedTime (Bybit) or updateTime (Binance REST) is read first;
 * Binance's pushes carry no time of their own and ccxt stamps them with the event's time.
 */
function updatedAtOf(position: Position): number | null {
  const info = position.info as Record<string, unknown> | undefined;
  const raw = Number(info?.['updatedTime'] ?? info?.['updateTime'] ?? Number.NaN);
  return Number.isFinite(raw) && raw > 0 ? raw : numberOrNull(position.timestamp);
}

/** A derivatives position from ccxt's unified structure, REST answer or push alike. */
export function positionRowOf(position: Position): PositionRow {
  const contracts = Math.abs(position.contracts ?? 0);
  const marginMode = position.marginMode === 'cross' || position.marginMode === 'isolated' ? position.marginMode : null;
  return {
    symbol: position.symbol ?? '',
    side: sideOf(position.info as Record<string, unknown> | undefined),
    qty: position.side === 'short' ? -contracts : contracts,
    entryPrice: numberOrNull(position.entryPrice),
    markPrice: numberOrNull(position.markPrice),
    unrealizedPnl: numberOrNull(position.unrealizedPnl),
    leverage: numberOrNull(position.leverage),
    marginMode,
    liquidationPrice: numberOrNull(position.liquidationPrice),
    stopLoss: positiveOrNull(position.stopLossPrice),
    takeProfit: positiveOrNull(position.takeProfitPrice),
    updatedAt: updatedAtOf(position),
  };
}
