// JSON shapes of Bybit v5 responses, built from the fake's state. Field names and string
// formatting follow Bybit's documented examples, since ccxt's parsers read them verbatim.

import { decimalsOf, fixed, fmt } from './decimal.js';
import type { MarketSpec } from './markets.js';
import type { OrderRecord, PositionRecord, TradeRecord, VenueState } from './state.js';

const LAUNCH_TIME = '1585526400000';

export function instrumentView(m: MarketSpec): Record<string, unknown> {
  if (m.kind === 'spot') {
    return {
      symbol: m.id,
      baseCoin: m.base,
      quoteCoin: m.quote,
      innovation: '0',
      status: 'Trading',
      marginTrading: 'utaOnly',
      stTag: '0',
      lotSizeFilter: {
        basePrecision: m.qtyStep,
        quotePrecision: '0.00000001',
        minOrderQty: m.minQty,
        maxOrderQty: m.maxQty,
        minOrderAmt: m.minNotional,
        maxOrderAmt: '2000000',
      },
      priceFilter: { tickSize: m.tickSize },
      riskParameters: { priceLimitRatioX: '0.05', priceLimitRatioY: '0.05' },
    };
  }
  const lot: Record<string, string> = {
    maxOrderQty: m.maxQty,
    maxMktOrderQty: m.maxQty,
    minOrderQty: m.minQty,
    qtyStep: m.qtyStep,
    postOnlyMaxOrderQty: m.maxQty,
  };
  if (m.kind === 'linear') lot['minNotionalValue'] = m.minNotional;
  return {
    symbol: m.id,
    contractType: m.kind === 'linear' ? 'LinearPerpetual' : 'InversePerpetual',
    status: 'Trading',
    baseCoin: m.base,
    quoteCoin: m.quote,
    launchTime: LAUNCH_TIME,
    deliveryTime: '0',
    deliveryFeeRate: '',
    priceScale: String(decimalsOf(m.tickSize)),
    leverageFilter: { minLeverage: '1', maxLeverage: fixed(m.maxLeverage, 2), leverageStep: '0.01' },
    priceFilter: { minPrice: m.tickSize, maxPrice: '1999999.00', tickSize: m.tickSize },
    lotSizeFilter: lot,
    unifiedMarginTrade: true,
    fundingInterval: 480,
    settleCoin: m.settle,
    copyTrading: 'both',
    upperFundingRate: '0.00375',
    lowerFundingRate: '-0.00375',
    isPreListing: false,
    preListingInfo: null,
  };
}

export function tickerView(state: VenueState, m: MarketSpec): Record<string, unknown> {
  const dp = decimalsOf(m.tickSize);
  const price = state.price(m);
  const tape = state.tape(m);
  const last = fixed(price, dp);
  // the fake has no book: bid and ask are the last price, so a market order fills at what the ticker shows
  const common = {
    symbol: m.id,
    bid1Price: last,
    bid1Size: '1',
    ask1Price: last,
    ask1Size: '1',
    lastPrice: last,
    prevPrice24h: fixed(tape.open, dp),
    price24hPcnt: fmt(price / tape.open - 1, 6),
    highPrice24h: fixed(tape.high, dp),
    lowPrice24h: fixed(tape.low, dp),
    turnover24h: fmt(tape.turnover),
    volume24h: fmt(tape.volume, decimalsOf(m.qtyStep)),
  };
  if (m.kind === 'spot') return { ...common, usdIndexPrice: last };
  return {
    ...common,
    indexPrice: last,
    markPrice: last,
    prevPrice1h: fixed(tape.open, dp),
    openInterest: '0',
    openInterestValue: '0',
    fundingRate: '0.0001',
    nextFundingTime: String(Math.ceil(state.now() / 28_800_000) * 28_800_000),
    predictedDeliveryPrice: '',
    basisRate: '',
    deliveryFeeRate: '',
    deliveryTime: '0',
    basis: '',
  };
}

const SPOT_STREAM_FIELDS = ['symbol', 'lastPrice', 'highPrice24h', 'lowPrice24h', 'prevPrice24h', 'volume24h', 'turnover24h', 'price24hPcnt', 'usdIndexPrice'];
const CONTRACT_STREAM_FIELDS = [
  'symbol',
  'tickDirection',
  'price24hPcnt',
  'lastPrice',
  'prevPrice24h',
  'highPrice24h',
  'lowPrice24h',
  'prevPrice1h',
  'markPrice',
  'indexPrice',
  'openInterest',
  'openInterestValue',
  'turnover24h',
  'volume24h',
  'nextFundingTime',
  'fundingRate',
  'bid1Price',
  'bid1Size',
  'ask1Price',
  'ask1Size',
];

/** The `tickers.<symbol>` data of the public streams: the fields each documents, as strings. */
export function tickerStreamView(state: VenueState, m: MarketSpec): Record<string, string> {
  const rest: Record<string, unknown> = { ...tickerView(state, m), tickDirection: state.tape(m).tickDirection };
  const fields = m.kind === 'spot' ? SPOT_STREAM_FIELDS : CONTRACT_STREAM_FIELDS;
  return Object.fromEntries(fields.map((field) => [field, String(rest[field])]));
}

const orderStatusNames: Record<OrderRecord['status'], string> = {
  open: 'New',
  filled: 'Filled',
  cancelled: 'Cancelled',
  // Bybit has no "expired": unfilled IOC/FOK and PostOnly orders that would take end as Cancelled
  expired: 'Cancelled',
};

export function bybitOrderStatus(status: OrderRecord['status']): string {
  return orderStatusNames[status];
}

export function positionIdxOf(side: OrderRecord['positionSide']): number {
  return side === 'long' ? 1 : side === 'short' ? 2 : 0;
}

export function orderView(state: VenueState, o: OrderRecord): Record<string, unknown> {
  const m = o.market;
  const dp = decimalsOf(m.tickSize);
  const qtyDp = decimalsOf(m.qtyStep);
  const spot = m.kind === 'spot';
  const quoteSized = spot && o.type === 'market' && o.quoteQty !== undefined;
  const remaining = o.status === 'open' ? o.qty - o.filledQty : 0;
  const view: Record<string, unknown> = {
    orderId: o.orderId,
    orderLinkId: o.clientOrderId,
    blockTradeId: '',
    symbol: m.id,
    price: o.price !== undefined ? fixed(o.price, dp) : '0',
    // a spot market order sized in quote currency reports that amount as its qty
    qty: quoteSized ? fmt(o.quoteQty ?? 0) : fmt(o.qty, qtyDp),
    side: o.side === 'buy' ? 'Buy' : 'Sell',
    isLeverage: spot ? '0' : '',
    positionIdx: positionIdxOf(o.positionSide),
    orderStatus: bybitOrderStatus(o.status),
    createType: o.trigger === 'take_profit' ? 'CreateByTakeProfit' : o.trigger === 'stop_loss' ? 'CreateByStopLoss' : 'CreateByUser',
    cancelType: o.status === 'cancelled' ? 'CancelByUser' : 'UNKNOWN',
    rejectReason: 'EC_NoError',
    avgPrice: o.filledQty > 0 ? fmt(o.avgPrice, dp + 2) : spot ? '' : '0',
    leavesQty: fmt(remaining, qtyDp),
    leavesValue: fmt(remaining * (o.price ?? 0)),
    cumExecQty: fmt(o.filledQty, qtyDp),
    cumExecValue: fmt(o.cumQuote),
    cumExecFee: fmt(o.fee),
    // the fee by coin, which ccxt reads the order's fee from
    cumFeeDetail: o.fee > 0 ? { [o.feeCoin]: fmt(o.fee) } : {},
    timeInForce: o.type === 'market' ? 'IOC' : o.timeInForce,
    orderType: o.type === 'market' ? 'Market' : 'Limit',
    stopOrderType: o.trigger === 'take_profit' ? 'TakeProfit' : o.trigger === 'stop_loss' ? 'StopLoss' : '',
    orderIv: '',
    marketUnit: spot && o.type === 'market' ? (quoteSized ? 'quoteCoin' : 'baseCoin') : '',
    triggerPrice: '0',
    takeProfit: o.protection?.takeProfit !== undefined ? fixed(o.protection.takeProfit, dp) : '0',
    stopLoss: o.protection?.stopLoss !== undefined ? fixed(o.protection.stopLoss, dp) : '0',
    tpTriggerBy: o.protection?.takeProfit !== undefined ? 'LastPrice' : '',
    slTriggerBy: o.protection?.stopLoss !== undefined ? 'LastPrice' : '',
    triggerDirection: 0,
    triggerBy: '',
    lastPriceOnCreated: fixed(state.price(m), dp),
    basePrice: '',
    reduceOnly: o.reduceOnly,
    closeOnTrigger: o.closeOnTrigger,
    placeType: '',
    smpType: 'None',
    smpGroup: 0,
    smpOrderId: '',
    tpLimitPrice: '',
    slLimitPrice: '',
    createdTime: String(o.createdAt),
    updatedTime: String(o.updatedAt),
  };
  // ccxt tells contract orders from spot ones by the presence of tpslMode
  if (!spot) view['tpslMode'] = o.protection === undefined ? 'UNKNOWN' : 'Full';
  return view;
}

export function positionView(state: VenueState, market: MarketSpec, p: PositionRecord | undefined, idx: number): Record<string, unknown> {
  const dp = decimalsOf(market.tickSize);
  const qty = p?.qty ?? 0;
  const size = Math.abs(qty);
  const entry = p?.entryPrice ?? 0;
  const mark = state.price(market);
  const inverse = market.kind === 'inverse';
  const value = size === 0 ? 0 : inverse ? size / entry : size * entry;
  const now = String(state.now());
  return {
    positionIdx: idx,
    riskId: 1,
    riskLimitValue: '2000000',
    symbol: market.id,
    side: qty > 0 ? 'Buy' : qty < 0 ? 'Sell' : '',
    size: fmt(size, decimalsOf(market.qtyStep)),
    avgPrice: fmt(entry, dp + 2),
    positionValue: fmt(value),
    tradeMode: 0,
    autoAddMargin: 0,
    positionStatus: 'Normal',
    leverage: String(state.leverage(market)),
    markPrice: fixed(mark, dp),
    liqPrice: '',
    bustPrice: '',
    positionIM: fmt(size === 0 ? 0 : state.margin(market, size, entry)),
    positionMM: '0',
    positionBalance: '0',
    tpslMode: 'Full',
    takeProfit: p?.protection.takeProfit !== undefined ? fixed(p.protection.takeProfit, dp) : '0',
    stopLoss: p?.protection.stopLoss !== undefined ? fixed(p.protection.stopLoss, dp) : '0',
    trailingStop: '0',
    sessionAvgPrice: '',
    unrealisedPnl: fmt(p === undefined ? 0 : state.positionPnl(p)),
    // Bybit's realised PnL is net of the trading fees paid
    curRealisedPnl: fmt((p?.realisedPnl ?? 0) - (p?.fees ?? 0)),
    cumRealisedPnl: fmt((p?.realisedPnl ?? 0) - (p?.fees ?? 0)),
    adlRankIndicator: size === 0 ? 0 : 2,
    createdTime: p !== undefined ? String(p.createdAt) : now,
    updatedTime: p !== undefined ? String(p.updatedAt) : now,
    seq: 1,
    isReduceOnly: false,
    mmrSysUpdatedTime: '',
    leverageSysUpdatedTime: '',
  };
}

/** Value of `amount` of `coin` in USD, through the coin's USDT spot price. */
export function usdValue(state: VenueState, coin: string, amount: number): number {
  if (coin === 'USDT' || coin === 'USDC' || coin === 'USD') return amount;
  const spot = state.market(`${coin}USDT`, 'spot');
  return spot === undefined ? 0 : amount * state.price(spot);
}

/** The numbers of one coin of the unified wallet, as wallet-balance and the wallet stream show them. */
function coinNumbers(state: VenueState, coin: string) {
  const account = 'unified';
  const walletBalance = state.wallet(account, coin);
  const pnl = state.unrealisedPnl(account, coin);
  return {
    walletBalance,
    pnl,
    orderIM: state.orderLocked(account, coin, 'contract'),
    positionIM: state.positionMargin(account, coin),
    spotLocked: state.orderLocked(account, coin, 'spot'),
  };
}

function coinView(state: VenueState, coin: string): Record<string, unknown> {
  const n = coinNumbers(state, coin);
  return {
    coin,
    equity: fmt(n.walletBalance + n.pnl),
    usdValue: fmt(usdValue(state, coin, n.walletBalance + n.pnl)),
    walletBalance: fmt(n.walletBalance),
    locked: fmt(n.spotLocked),
    spotHedgingQty: '0',
    borrowAmount: '0',
    // deprecated on unified accounts and sent empty: ccxt then derives "free" from the fields below
    availableToWithdraw: '',
    accruedInterest: '0',
    totalOrderIM: fmt(n.orderIM),
    totalPositionIM: fmt(n.positionIM),
    totalPositionMM: '0',
    unrealisedPnl: fmt(n.pnl),
    cumRealisedPnl: '0',
    bonus: '0',
    marginCollateral: true,
    collateralSwitch: true,
    availableToBorrow: '',
  };
}

/**
 * The unified account as wallet-balance lists it (and the wallet stream pushes it): the account's
 * totals (USD) over every coin it holds, and a row for each coin of `coins`.
 */
export function walletAccountView(state: VenueState, coins: readonly string[]): Record<string, unknown> {
  let equity = 0;
  let wallet = 0;
  let upl = 0;
  let im = 0;
  for (const coin of new Set([...state.coinsWithBalance('unified'), ...coins])) {
    const n = coinNumbers(state, coin);
    equity += usdValue(state, coin, n.walletBalance + n.pnl);
    wallet += usdValue(state, coin, n.walletBalance);
    upl += usdValue(state, coin, n.pnl);
    im += usdValue(state, coin, n.orderIM + n.positionIM);
  }
  return {
    accountType: 'UNIFIED',
    accountIMRate: equity > 0 ? fmt(im / equity, 4) : '0',
    accountMMRate: '0',
    accountLTV: '0',
    totalEquity: fmt(equity),
    totalWalletBalance: fmt(wallet),
    totalMarginBalance: fmt(equity),
    totalAvailableBalance: fmt(Math.max(0, equity - im)),
    totalPerpUPL: fmt(upl),
    totalInitialMargin: fmt(im),
    totalMaintenanceMargin: '0',
    coin: coins.map((coin) => coinView(state, coin)),
  };
}

export function walletView(state: VenueState, coins: readonly string[]): Record<string, unknown> {
  return { list: [walletAccountView(state, coins)] };
}

/**
 * A position leg as the private `position` topic pushes it: the position/list row, with the
 * stream's `entryPrice` for the row's `avgPrice`, and the category. A closed leg is size "0", side "".
 */
export function positionPushView(state: VenueState, p: PositionRecord): Record<string, unknown> {
  const { avgPrice, ...row } = positionView(state, p.market, p, positionIdxOf(p.side));
  return { ...row, entryPrice: avgPrice, category: p.market.kind };
}

/** One fill as /v5/execution/list lists it. */
export function executionView(state: VenueState, t: TradeRecord): Record<string, unknown> {
  const o = t.order;
  const m = o.market;
  const dp = decimalsOf(m.tickSize);
  const qtyDp = decimalsOf(m.qtyStep);
  return {
    symbol: m.id,
    orderId: o.orderId,
    orderLinkId: o.clientOrderId,
    side: o.side === 'buy' ? 'Buy' : 'Sell',
    orderPrice: o.price !== undefined ? fixed(o.price, dp) : '0',
    orderQty: fmt(o.qty, qtyDp),
    leavesQty: fmt(o.status === 'open' ? o.qty - o.filledQty : 0, qtyDp),
    createType: orderView(state, o)['createType'],
    orderType: o.type === 'market' ? 'Market' : 'Limit',
    stopOrderType: '',
    execFee: fmt(t.fee),
    ...(m.kind === 'spot' ? { feeCurrency: t.feeCoin } : {}),
    execId: `${o.orderId}-${t.id}`,
    execPrice: fixed(t.price, dp),
    execQty: fmt(t.qty, qtyDp),
    execType: 'Trade',
    execValue: fmt(m.kind === 'inverse' ? t.qty / t.price : t.qty * t.price),
    execTime: String(t.time),
    isMaker: t.maker,
    feeRate: String(t.feeRate),
    tradeIv: '',
    markIv: '',
    markPrice: fixed(state.price(m), dp),
    indexPrice: '',
    underlyingPrice: '',
    blockTradeId: '',
    closedSize: m.kind === 'spot' ? '' : fmt(t.realisedPnl !== 0 ? t.qty : 0, qtyDp),
    seq: Number(t.id),
  };
}
