// JSON shapes of Binance spot (/api/v3) and USDⓈ-M futures (/fapi) responses. Spot prints
// amounts with 8 decimals, futures with the market's precision, as the real API does.

import type { CandleRecord } from './candles.js';
import { decimalsOf, fixed, fmt } from './decimal.js';
import type { MarketSpec } from './markets.js';
import type { ConditionalRecord } from './conditional-orders.js';
import type { AccountChange, OrderRecord, PositionRecord, TradeRecord, VenueState } from './state.js';

const ONBOARD_DATE = 1569398400000;
/** Binance's "perpetual" delivery date. */
const PERPETUAL_DELIVERY = 4133404800000;

const spot8 = (value: number): string => fixed(value, 8);

export function spotSymbolView(m: MarketSpec): Record<string, unknown> {
  return {
    symbol: m.id,
    status: 'TRADING',
    baseAsset: m.base,
    baseAssetPrecision: 8,
    quoteAsset: m.quote,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'],
    icebergAllowed: true,
    ocoAllowed: true,
    otoAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: true,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: m.tickSize, maxPrice: '1000000.00000000', tickSize: m.tickSize },
      { filterType: 'LOT_SIZE', minQty: m.minQty, maxQty: m.maxQty, stepSize: m.qtyStep },
      { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: m.maxQty, stepSize: '0.00000000' },
      {
        filterType: 'NOTIONAL',
        minNotional: m.minNotional,
        applyMinToMarket: true,
        maxNotional: '9000000.00000000',
        applyMaxToMarket: false,
        avgPriceMins: 5,
      },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
    ],
    permissions: [],
    permissionSets: [['SPOT', 'MARGIN']],
    defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
    allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
  };
}

export function futuresSymbolView(m: MarketSpec): Record<string, unknown> {
  return {
    symbol: m.id,
    pair: m.id,
    contractType: 'PERPETUAL',
    deliveryDate: PERPETUAL_DELIVERY,
    onboardDate: ONBOARD_DATE,
    status: 'TRADING',
    maintMarginPercent: '2.5000',
    requiredMarginPercent: '5.0000',
    baseAsset: m.base,
    quoteAsset: m.quote,
    marginAsset: m.settle,
    pricePrecision: decimalsOf(m.tickSize),
    quantityPrecision: decimalsOf(m.qtyStep),
    baseAssetPrecision: 8,
    quotePrecision: 8,
    underlyingType: 'COIN',
    underlyingSubType: ['PoW'],
    triggerProtect: '0.0500',
    liquidationFee: '0.012500',
    marketTakeBound: '0.05',
    maxMoveOrderLimit: 10000,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: m.tickSize, maxPrice: '4529764', tickSize: m.tickSize },
      { filterType: 'LOT_SIZE', minQty: m.minQty, maxQty: m.maxQty, stepSize: m.qtyStep },
      { filterType: 'MARKET_LOT_SIZE', minQty: m.minQty, maxQty: m.maxQty, stepSize: m.qtyStep },
      { filterType: 'MAX_NUM_ORDERS', limit: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 10 },
      { filterType: 'MIN_NOTIONAL', notional: m.minNotional },
      { filterType: 'PERCENT_PRICE', multiplierUp: '1.0500', multiplierDown: '0.9500', multiplierDecimal: '4' },
    ],
    orderTypes: ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'],
    timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'],
    permissionSets: ['GRID', 'COPY'],
  };
}

/**
 * One kline row as /api/v3/klines and /fapi/v1/klines print it: open time, open, high, low, close,
 * volume, close time, quote volume, trades, taker buy base and quote volume, and an unused "0".
 */
export function klineView(m: MarketSpec, c: CandleRecord, intervalMs: number): unknown[] {
  const spot = m.kind === 'spot';
  const price = (value: number): string => (spot ? spot8(value) : fixed(value, decimalsOf(m.tickSize)));
  const size = (value: number): string => (spot ? spot8(value) : fmt(value, decimalsOf(m.qtyStep)));
  const quote = (value: number): string => (spot ? spot8(value) : fmt(value, 8));
  return [c.openTime, price(c.open), price(c.high), price(c.low), price(c.close), size(c.volume), c.openTime + intervalMs - 1, quote(c.turnover), c.trades, size(c.takerBuyVolume), quote(c.takerBuyTurnover), '0'];
}

/** A market's 24 h figures (since the fake started), printed the way each section prints prices and sizes. */
function dayFigures(state: VenueState, m: MarketSpec) {
  const spot = m.kind === 'spot';
  const price = (value: number): string => (spot ? spot8(value) : fixed(value, decimalsOf(m.tickSize)));
  const size = (value: number): string => (spot ? spot8(value) : fmt(value, decimalsOf(m.qtyStep)));
  const last = state.price(m);
  const tape = state.tape(m);
  return {
    last: price(last),
    open: price(tape.open),
    high: price(tape.high),
    low: price(tape.low),
    change: price(last - tape.open),
    changePercent: fixed((last / tape.open - 1) * 100, 3),
    weightedAverage: price(tape.volume > 0 ? tape.turnover / tape.volume : last),
    lastQty: size(tape.lastQty),
    volume: size(tape.volume),
    quoteVolume: spot ? spot8(tape.turnover) : fmt(tape.turnover, 8),
    trades: tape.trades,
  };
}

export function spotTicker24h(state: VenueState, m: MarketSpec): Record<string, unknown> {
  const d = dayFigures(state, m);
  const now = state.now();
  // no book: bid and ask are the last price, which is also what market orders fill at
  return {
    symbol: m.id,
    priceChange: d.change,
    priceChangePercent: d.changePercent,
    weightedAvgPrice: d.weightedAverage,
    prevClosePrice: d.open,
    lastPrice: d.last,
    lastQty: d.lastQty,
    bidPrice: d.last,
    bidQty: '1.00000000',
    askPrice: d.last,
    askQty: '1.00000000',
    openPrice: d.open,
    highPrice: d.high,
    lowPrice: d.low,
    volume: d.volume,
    quoteVolume: d.quoteVolume,
    openTime: now - 86_400_000,
    closeTime: now,
    firstId: d.trades > 0 ? 1 : -1,
    lastId: d.trades > 0 ? d.trades : -1,
    count: d.trades,
  };
}

export function futuresTicker24h(state: VenueState, m: MarketSpec): Record<string, unknown> {
  const d = dayFigures(state, m);
  const now = state.now();
  return {
    symbol: m.id,
    priceChange: d.change,
    priceChangePercent: d.changePercent,
    weightedAvgPrice: d.weightedAverage,
    lastPrice: d.last,
    lastQty: d.lastQty,
    openPrice: d.open,
    highPrice: d.high,
    lowPrice: d.low,
    volume: d.volume,
    quoteVolume: d.quoteVolume,
    openTime: now - 86_400_000,
    closeTime: now,
    firstId: d.trades > 0 ? 1 : 0,
    lastId: d.trades,
    count: d.trades,
  };
}

/** The `<symbol>@miniTicker` stream's 24hrMiniTicker event (what ccxt 4.5.84's watchTicker asks for by default). */
export function miniTickerStreamEvent(state: VenueState, m: MarketSpec): Record<string, unknown> {
  const d = dayFigures(state, m);
  return { e: '24hrMiniTicker', E: state.now(), s: m.id, c: d.last, o: d.open, h: d.high, l: d.low, v: d.volume, q: d.quoteVolume };
}

/**
 * The `<symbol>@ticker` stream's 24hrTicker event. Spot's carries the best bid and ask (the last
 * price here: the fake has no book) and the price before the window; USDⓈ-M's has neither.
 */
export function tickerStreamEvent(state: VenueState, m: MarketSpec): Record<string, unknown> {
  const d = dayFigures(state, m);
  const now = state.now();
  const book = m.kind === 'spot' ? { x: d.open, b: d.last, B: '1.00000000', a: d.last, A: '1.00000000' } : {};
  return {
    e: '24hrTicker',
    E: now,
    s: m.id,
    p: d.change,
    P: d.changePercent,
    w: d.weightedAverage,
    c: d.last,
    Q: d.lastQty,
    ...book,
    o: d.open,
    h: d.high,
    l: d.low,
    v: d.volume,
    q: d.quoteVolume,
    O: now - 86_400_000,
    C: now,
    F: d.trades > 0 ? 1 : 0,
    L: d.trades,
    n: d.trades,
  };
}

export function priceTicker(state: VenueState, m: MarketSpec): Record<string, unknown> {
  if (m.kind === 'spot') return { symbol: m.id, price: spot8(state.price(m)) };
  return { symbol: m.id, price: fixed(state.price(m), decimalsOf(m.tickSize)), time: state.now() };
}

export function bookTicker(state: VenueState, m: MarketSpec): Record<string, unknown> {
  const price = m.kind === 'spot' ? spot8(state.price(m)) : fixed(state.price(m), decimalsOf(m.tickSize));
  const view: Record<string, unknown> = { symbol: m.id, bidPrice: price, bidQty: '1', askPrice: price, askQty: '1' };
  if (m.kind !== 'spot') {
    view['time'] = state.now();
    view['lastUpdateId'] = 1;
  }
  return view;
}

export function premiumIndex(state: VenueState, m: MarketSpec): Record<string, unknown> {
  const price = fixed(state.price(m), decimalsOf(m.tickSize));
  return {
    symbol: m.id,
    markPrice: price,
    indexPrice: price,
    estimatedSettlePrice: price,
    lastFundingRate: '0.00010000',
    interestRate: '0.00010000',
    nextFundingTime: Math.ceil(state.now() / 28_800_000) * 28_800_000,
    time: state.now(),
  };
}

const statusNames: Record<OrderRecord['status'], string> = {
  open: 'NEW',
  filled: 'FILLED',
  cancelled: 'CANCELED',
  expired: 'EXPIRED',
};

function spotType(o: OrderRecord): string {
  if (o.type === 'market') return 'MARKET';
  return o.timeInForce === 'PostOnly' ? 'LIMIT_MAKER' : 'LIMIT';
}

/** A spot order as GET /api/v3/order shows it. */
export function spotOrderView(o: OrderRecord): Record<string, unknown> {
  return {
    symbol: o.market.id,
    orderId: Number(o.orderId),
    orderListId: -1,
    clientOrderId: o.clientOrderId,
    price: spot8(o.price ?? 0),
    origQty: spot8(o.qty),
    executedQty: spot8(o.filledQty),
    cummulativeQuoteQty: spot8(o.cumQuote),
    status: statusNames[o.status],
    timeInForce: o.type === 'market' || o.timeInForce === 'PostOnly' ? 'GTC' : o.timeInForce,
    type: spotType(o),
    side: o.side.toUpperCase(),
    stopPrice: spot8(0),
    icebergQty: spot8(0),
    time: o.createdAt,
    updateTime: o.updatedAt,
    isWorking: true,
    workingTime: o.createdAt,
    origQuoteOrderQty: spot8(o.quoteQty ?? 0),
    selfTradePreventionMode: 'EXPIRE_MAKER',
  };
}

/** POST /api/v3/order answer, by newOrderRespType. */
export function spotPlacedView(o: OrderRecord, respType: string): Record<string, unknown> {
  const ack = { symbol: o.market.id, orderId: Number(o.orderId), orderListId: -1, clientOrderId: o.clientOrderId, transactTime: o.updatedAt };
  if (respType === 'ACK') return ack;
  const full = spotOrderView(o);
  const result = {
    ...ack,
    price: full['price'],
    origQty: full['origQty'],
    executedQty: full['executedQty'],
    origQuoteOrderQty: full['origQuoteOrderQty'],
    cummulativeQuoteQty: full['cummulativeQuoteQty'],
    status: full['status'],
    timeInForce: full['timeInForce'],
    type: full['type'],
    side: full['side'],
    workingTime: o.createdAt,
    selfTradePreventionMode: 'EXPIRE_MAKER',
  };
  if (respType === 'RESULT') return result;
  const fills =
    o.filledQty > 0
      ? [{ price: spot8(o.avgPrice), qty: spot8(o.filledQty), commission: spot8(o.fee), commissionAsset: o.feeCoin, tradeId: Number(o.trade?.id ?? o.orderId) }]
      : [];
  return { ...result, fills };
}

/** A futures order as /fapi/v1/order shows it (POST with RESULT, GET, DELETE). */
export function futuresOrderView(o: OrderRecord, withTime: boolean): Record<string, unknown> {
  const m = o.market;
  const dp = decimalsOf(m.tickSize);
  const qdp = decimalsOf(m.qtyStep);
  const type = o.type === 'market' ? 'MARKET' : 'LIMIT';
  const view: Record<string, unknown> = {
    orderId: Number(o.orderId),
    symbol: m.id,
    status: statusNames[o.status],
    clientOrderId: o.clientOrderId,
    price: o.price !== undefined ? fixed(o.price, dp) : '0',
    avgPrice: o.filledQty > 0 ? fmt(o.avgPrice, dp + 5) : '0',
    origQty: fixed(o.qty, qdp),
    executedQty: fixed(o.filledQty, qdp),
    cumQty: fixed(o.filledQty, qdp),
    cumQuote: fmt(o.cumQuote, dp + qdp),
    timeInForce: o.type === 'market' ? 'GTC' : o.timeInForce === 'PostOnly' ? 'GTX' : o.timeInForce,
    type,
    reduceOnly: o.reduceOnly,
    closePosition: false,
    side: o.side.toUpperCase(),
    positionSide: o.positionSide.toUpperCase(),
    stopPrice: '0',
    workingType: 'CONTRACT_PRICE',
    priceProtect: false,
    origType: type,
    priceMatch: 'NONE',
    selfTradePreventionMode: 'EXPIRE_MAKER',
    goodTillDate: 0,
    updateTime: o.updatedAt,
  };
  if (withTime) view['time'] = o.createdAt;
  return view;
}

/** Spot DELETE answer: Binance gives the cancel request its own client id. */
export function spotCancelView(o: OrderRecord, cancelClientId: string): Record<string, unknown> {
  const view = spotOrderView(o);
  return {
    symbol: view['symbol'],
    origClientOrderId: o.clientOrderId,
    orderId: view['orderId'],
    orderListId: -1,
    clientOrderId: cancelClientId,
    transactTime: o.updatedAt,
    price: view['price'],
    origQty: view['origQty'],
    executedQty: view['executedQty'],
    origQuoteOrderQty: view['origQuoteOrderQty'],
    cummulativeQuoteQty: view['cummulativeQuoteQty'],
    status: view['status'],
    timeInForce: view['timeInForce'],
    type: view['type'],
    side: view['side'],
    selfTradePreventionMode: 'EXPIRE_MAKER',
  };
}

export function spotAccountView(state: VenueState): Record<string, unknown> {
  const balances = state.coinsWithBalance('spot').map((asset) => {
    const locked = state.orderLocked('spot', asset);
    return { asset, free: spot8(state.wallet('spot', asset) - locked), locked: spot8(locked) };
  });
  const rates = state.feeRates.spot;
  return {
    // in basis points, as Binance prints them (10 = 0.1 %)
    makerCommission: Math.round(rates.maker * 10_000),
    takerCommission: Math.round(rates.taker * 10_000),
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: { maker: spot8(rates.maker), taker: spot8(rates.taker), buyer: spot8(0), seller: spot8(0) },
    canTrade: true,
    canWithdraw: true,
    canDeposit: true,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: state.now(),
    accountType: 'SPOT',
    balances,
    permissions: ['SPOT'],
    uid: 354937868,
  };
}

interface FuturesAssetNumbers {
  wallet: number;
  pnl: number;
  positionIM: number;
  orderIM: number;
  /** Margin for new orders: unrealised profit counts (cross margin), as Binance's availableBalance does. */
  available: number;
  /** What could leave the wallet: unrealised profit does not count until it is realised. */
  withdrawable: number;
}

function futuresAssetNumbers(state: VenueState, asset: string): FuturesAssetNumbers {
  const wallet = state.wallet('futures', asset);
  const pnl = state.unrealisedPnl('futures', asset);
  const positionIM = state.positionMargin('futures', asset);
  const orderIM = state.orderLocked('futures', asset);
  return {
    wallet,
    pnl,
    positionIM,
    orderIM,
    available: wallet + pnl - positionIM - orderIM,
    withdrawable: Math.max(0, wallet + Math.min(pnl, 0) - positionIM - orderIM),
  };
}

/** GET /fapi/v2|v3/balance */
export function futuresBalanceView(state: VenueState): Record<string, unknown>[] {
  return state.coinsWithBalance('futures').map((asset) => {
    const n = futuresAssetNumbers(state, asset);
    return {
      accountAlias: 'SgsR',
      asset,
      balance: fmt(n.wallet),
      crossWalletBalance: fmt(n.wallet),
      crossUnPnl: fmt(n.pnl),
      availableBalance: fmt(n.available),
      maxWithdrawAmount: fmt(n.withdrawable),
      marginAvailable: true,
      updateTime: state.now(),
    };
  });
}

/** GET /fapi/v2|v3/account */
export function futuresAccountView(state: VenueState, version: 2 | 3): Record<string, unknown> {
  let wallet = 0;
  let pnl = 0;
  let im = 0;
  let orderIM = 0;
  let available = 0;
  let withdrawable = 0;
  const assets = state.coinsWithBalance('futures').map((asset) => {
    const n = futuresAssetNumbers(state, asset);
    wallet += n.wallet;
    pnl += n.pnl;
    im += n.positionIM;
    orderIM += n.orderIM;
    available += n.available;
    withdrawable += n.withdrawable;
    return {
      asset,
      walletBalance: fmt(n.wallet),
      unrealizedProfit: fmt(n.pnl),
      marginBalance: fmt(n.wallet + n.pnl),
      maintMargin: '0',
      initialMargin: fmt(n.positionIM + n.orderIM),
      positionInitialMargin: fmt(n.positionIM),
      openOrderInitialMargin: fmt(n.orderIM),
      crossWalletBalance: fmt(n.wallet),
      crossUnPnl: fmt(n.pnl),
      availableBalance: fmt(n.available),
      maxWithdrawAmount: fmt(n.withdrawable),
      marginAvailable: true,
      // ccxt skips assets whose updateTime is 0
      updateTime: state.now(),
    };
  });
  const positions = state.openPositions().map((p) => ({
    symbol: p.market.id,
    positionSide: p.side.toUpperCase(),
    positionAmt: fmt(p.qty),
    unrealizedProfit: fmt(state.positionPnl(p)),
    isolatedMargin: '0',
    notional: fmt(p.qty * state.price(p.market)),
    isolatedWallet: '0',
    initialMargin: fmt(state.margin(p.market, Math.abs(p.qty), p.entryPrice)),
    maintMargin: '0',
    updateTime: p.updatedAt,
    ...(version === 2 ? { leverage: String(state.leverage(p.market)), entryPrice: fmt(p.entryPrice), isolated: state.marginMode(p.market) === 'isolated' } : {}),
  }));
  return {
    totalInitialMargin: fmt(im + orderIM),
    totalMaintMargin: '0',
    totalWalletBalance: fmt(wallet),
    totalUnrealizedProfit: fmt(pnl),
    totalMarginBalance: fmt(wallet + pnl),
    totalPositionInitialMargin: fmt(im),
    totalOpenOrderInitialMargin: fmt(orderIM),
    totalCrossWalletBalance: fmt(wallet),
    totalCrossUnPnl: fmt(pnl),
    availableBalance: fmt(available),
    maxWithdrawAmount: fmt(withdrawable),
    ...(version === 2 ? { canTrade: true, canDeposit: true, canWithdraw: true, feeTier: 0, updateTime: 0, multiAssetsMargin: false } : {}),
    assets,
    positions,
  };
}

/** One entry of /fapi/v2 or /fapi/v3 positionRisk. */
export function positionRiskView(state: VenueState, market: MarketSpec, p: PositionRecord | undefined, side: string, version: 2 | 3): Record<string, unknown> {
  const qty = p?.qty ?? 0;
  const dp = decimalsOf(market.tickSize);
  const mark = state.price(market);
  const entry = p?.entryPrice ?? 0;
  const positionIM = qty === 0 ? 0 : state.margin(market, Math.abs(qty), entry);
  const common = {
    symbol: market.id,
    positionSide: side,
    positionAmt: fixed(qty, decimalsOf(market.qtyStep)),
    entryPrice: fmt(entry),
    breakEvenPrice: fmt(entry),
    markPrice: fmt(mark, dp + 6),
    unRealizedProfit: fmt(p === undefined ? 0 : state.positionPnl(p)),
    liquidationPrice: '0',
    isolatedMargin: '0',
    notional: fmt(qty * mark),
    marginAsset: market.settle,
    isolatedWallet: '0',
    updateTime: p?.updatedAt ?? 0,
  };
  if (version === 3) {
    return {
      ...common,
      initialMargin: fmt(positionIM),
      maintMargin: '0',
      positionInitialMargin: fmt(positionIM),
      openOrderInitialMargin: '0',
      adl: 0,
      bidNotional: '0',
      askNotional: '0',
    };
  }
  return {
    ...common,
    leverage: String(state.leverage(market)),
    maxNotionalValue: '1000000',
    marginType: state.marginMode(market),
    isAutoAddMargin: 'false',
    isolated: state.marginMode(market) === 'isolated',
    adlQuantile: 0,
  };
}

export function leverageBracketView(m: MarketSpec): Record<string, unknown> {
  return {
    symbol: m.id,
    notionalCoef: 1.0,
    brackets: [
      { bracket: 1, initialLeverage: m.maxLeverage, notionalCap: 50000, notionalFloor: 0, maintMarginRatio: 0.004, cum: 0.0 },
      { bracket: 2, initialLeverage: 50, notionalCap: 1000000, notionalFloor: 50000, maintMarginRatio: 0.01, cum: 300.0 },
    ],
  };
}

export function capitalConfigView(coins: string[]): Record<string, unknown>[] {
  return coins.map((coin) => ({
    coin,
    depositAllEnable: true,
    withdrawAllEnable: true,
    name: coin,
    free: '0',
    locked: '0',
    freeze: '0',
    withdrawing: '0',
    ipoing: '0',
    ipoable: '0',
    storage: '0',
    isLegalMoney: false,
    trading: true,
    networkList: [
      {
        network: coin === 'USDT' ? 'ETH' : coin,
        coin,
        withdrawIntegerMultiple: '0.00000001',
        isDefault: true,
        depositEnable: true,
        withdrawEnable: true,
        depositDesc: '',
        withdrawDesc: '',
        specialTips: '',
        name: coin,
        resetAddressStatus: false,
        addressRegex: '',
        memoRegex: '',
        withdrawFee: '0.0005',
        withdrawMin: '0.001',
        withdrawMax: '9999999',
        minConfirm: 1,
        unLockConfirm: 2,
        sameAddress: false,
        estimatedArrivalTime: 5,
        busy: false,
      },
    ],
  }));
}

// ---- user data stream pushes ------------------------------------------------------------

const executionTypes: Record<OrderRecord['status'], string> = { open: 'NEW', filled: 'TRADE', cancelled: 'CANCELED', expired: 'EXPIRED' };

/**
 * A spot order change as the user data stream pushes it. The fake fills an order in one trade, so
 * the last fill is the whole fill. A cancel carries its own client id in `c`, the order's in `C`.
 */
export function executionReportView(o: OrderRecord, cancelClientId: string, now: number): Record<string, unknown> {
  const view = spotOrderView(o);
  const traded = o.status === 'filled';
  const cancelled = o.status === 'cancelled';
  return {
    e: 'executionReport',
    E: now,
    s: o.market.id,
    c: cancelled ? cancelClientId : o.clientOrderId,
    S: view['side'],
    o: view['type'],
    f: view['timeInForce'],
    q: view['origQty'],
    p: view['price'],
    P: spot8(0),
    F: spot8(0),
    g: -1,
    C: cancelled ? o.clientOrderId : '',
    x: executionTypes[o.status],
    X: view['status'],
    r: 'NONE',
    i: Number(o.orderId),
    l: traded ? view['executedQty'] : spot8(0),
    z: view['executedQty'],
    L: spot8(traded ? o.avgPrice : 0),
    n: spot8(traded ? o.fee : 0),
    N: traded ? o.feeCoin : null,
    T: o.updatedAt,
    t: traded ? Number(o.trade?.id ?? o.orderId) : -1,
    w: o.status === 'open',
    m: traded && o.trade?.maker === true,
    M: false,
    O: o.createdAt,
    Z: view['cummulativeQuoteQty'],
    Y: traded ? view['cummulativeQuoteQty'] : spot8(0),
    Q: view['origQuoteOrderQty'],
    W: o.createdAt,
    V: 'EXPIRE_MAKER',
  };
}

/** A USDⓈ-M order change as the futures user data stream pushes it. */
export function orderTradeUpdateView(o: OrderRecord, now: number): Record<string, unknown> {
  const view = futuresOrderView(o, false);
  const traded = o.status === 'filled';
  const dp = decimalsOf(o.market.tickSize);
  return {
    e: 'ORDER_TRADE_UPDATE',
    E: now,
    T: o.updatedAt,
    o: {
      s: o.market.id,
      c: o.clientOrderId,
      S: view['side'],
      o: view['type'],
      f: view['timeInForce'],
      q: view['origQty'],
      p: view['price'],
      ap: view['avgPrice'],
      sp: '0',
      x: executionTypes[o.status],
      X: view['status'],
      i: Number(o.orderId),
      l: traded ? view['executedQty'] : '0',
      z: view['executedQty'],
      L: traded ? fixed(o.avgPrice, dp) : '0',
      N: o.market.settle,
      n: traded ? fmt(o.fee) : '0',
      T: o.updatedAt,
      t: traded ? Number(o.trade?.id ?? o.orderId) : 0,
      b: '0',
      a: '0',
      m: traded && o.trade?.maker === true,
      R: o.reduceOnly,
      wt: 'CONTRACT_PRICE',
      ot: view['type'],
      ps: view['positionSide'],
      cp: false,
      rp: fmt(traded ? (o.trade?.realisedPnl ?? 0) : 0),
      pP: false,
      si: 0,
      ss: 0,
      V: 'EXPIRE_MAKER',
      pm: 'NONE',
      gtd: 0,
    },
  };
}

const accountUpdateReasons: Record<Exclude<AccountChange['reason'], 'order' | 'protection'>, string> = {
  fill: 'ORDER',
  deposit: 'DEPOSIT',
  withdraw: 'WITHDRAW',
  adjustment: 'ADJUSTMENT',
};

/**
 * A futures balance or position change as the USDⓈ-M user data stream pushes it: the settle coins
 * that changed (wallet and cross wallet balance, `bc` the change other than PnL and fees) and the
 * position legs that changed (`pa` signed, "0" once flat). Undefined when nothing of the futures
 * wallet changed: an order that starts or stops resting moves no balance, so Binance sends nothing.
 */
export function accountUpdateView(state: VenueState, change: AccountChange): Record<string, unknown> | undefined {
  // holds move no balance, and Binance keeps no take-profit on a position (those are orders)
  if (change.reason === 'order' || change.reason === 'protection') return undefined;
  const reason = accountUpdateReasons[change.reason];
  const coins = change.coins.filter((c) => c.account === 'futures');
  const positions = change.positions.filter((p) => p.market.kind === 'linear');
  if (coins.length === 0 && positions.length === 0) return undefined;
  const now = state.now();
  return {
    e: 'ACCOUNT_UPDATE',
    E: now,
    T: now,
    a: {
      m: reason,
      B: coins.map((c) => ({ a: c.coin, wb: fmt(state.wallet('futures', c.coin)), cw: fmt(state.wallet('futures', c.coin)), bc: fmt(c.delta ?? 0) })),
      P: positions.map((p) => ({
        s: p.market.id,
        pa: fmt(p.qty),
        ep: fmt(p.entryPrice),
        bep: fmt(p.entryPrice),
        cr: fmt(p.realisedPnl),
        up: fmt(state.positionPnl(p)),
        mt: state.marginMode(p.market),
        iw: '0',
        ps: p.side.toUpperCase(),
        ma: p.market.settle,
      })),
    },
  };
}

/** A spot balance change as the user data stream pushes it: free and locked of each asset that changed. */
export function outboundAccountPositionView(state: VenueState, change: AccountChange): Record<string, unknown> | undefined {
  const assets = [...new Set(change.coins.filter((c) => c.account === 'spot').map((c) => c.coin))];
  if (assets.length === 0) return undefined;
  const now = state.now();
  return {
    e: 'outboundAccountPosition',
    E: now,
    u: now,
    B: assets.map((a) => {
      const locked = state.orderLocked('spot', a);
      return { a, f: spot8(state.wallet('spot', a) - locked), l: spot8(locked) };
    }),
  };
}

// ---- conditional (algo) orders -------------------------------------------------------------

/** Binance's order type of a conditional: STOP_MARKET / TAKE_PROFIT_MARKET, or STOP / TAKE_PROFIT with a limit price. */
export function algoOrderType(c: ConditionalRecord): string {
  const base = c.kind === 'stop' ? 'STOP' : 'TAKE_PROFIT';
  return c.price === undefined ? `${base}_MARKET` : base;
}

/** A conditional order as POST/GET /fapi/v1/algoOrder and openAlgoOrders show it. */
export function algoOrderView(c: ConditionalRecord): Record<string, unknown> {
  const dp = decimalsOf(c.market.tickSize);
  const qdp = decimalsOf(c.market.qtyStep);
  const view: Record<string, unknown> = {
    algoId: Number(c.id),
    clientAlgoId: c.clientId,
    algoType: 'CONDITIONAL',
    orderType: algoOrderType(c),
    symbol: c.market.id,
    side: c.side.toUpperCase(),
    positionSide: c.positionSide.toUpperCase(),
    timeInForce: c.timeInForce === 'PostOnly' ? 'GTX' : c.timeInForce,
    quantity: c.qty === undefined ? '0' : fixed(c.qty, qdp),
    algoStatus: c.status,
    triggerPrice: fixed(c.triggerPrice, dp),
    price: c.price === undefined ? '0' : fixed(c.price, dp),
    icebergQuantity: null,
    selfTradePreventionMode: 'EXPIRE_MAKER',
    workingType: 'CONTRACT_PRICE',
    priceMatch: 'NONE',
    closePosition: c.closePosition,
    priceProtect: false,
    reduceOnly: c.reduceOnly || c.closePosition,
    createTime: c.createdAt,
    updateTime: c.updatedAt,
    triggerTime: c.triggeredAt,
    goodTillDate: 0,
  };
  if (c.order !== undefined) {
    view['actualOrderId'] = String(c.order.orderId);
    view['actualPrice'] = c.order.filledQty > 0 ? fmt(c.order.avgPrice, dp + 5) : '0';
  }
  return view;
}

/** A conditional order's change as the USDⓈ-M user data stream pushes it. */
export function algoUpdateView(c: ConditionalRecord, now: number): Record<string, unknown> {
  const view = algoOrderView(c);
  const order = c.order;
  return {
    e: 'ALGO_UPDATE',
    T: c.updatedAt,
    E: now,
    o: {
      caid: c.clientId,
      aid: Number(c.id),
      at: 'CONDITIONAL',
      o: view['orderType'],
      s: c.market.id,
      S: view['side'],
      ps: view['positionSide'],
      f: view['timeInForce'],
      q: view['quantity'],
      X: c.status,
      ai: order === undefined ? '' : order.orderId,
      ap: order !== undefined && order.filledQty > 0 ? fmt(order.avgPrice, decimalsOf(c.market.tickSize) + 5) : '0',
      aq: order === undefined ? '0' : fixed(order.filledQty, decimalsOf(c.market.qtyStep)),
      act: order === undefined ? '0' : order.type.toUpperCase(),
      tp: view['triggerPrice'],
      p: view['price'],
      V: 'EXPIRE_MAKER',
      wt: 'CONTRACT_PRICE',
      pm: 'NONE',
      cp: c.closePosition,
      pP: false,
      R: view['reduceOnly'],
      tt: c.triggeredAt,
      gtd: 0,
      rm: c.refusal ?? '',
    },
  };
}

// ---- fills ---------------------------------------------------------------------------------

/** A spot fill as GET /api/v3/myTrades lists it. */
export function spotTradeView(t: TradeRecord): Record<string, unknown> {
  const o = t.order;
  return {
    symbol: o.market.id,
    id: Number(t.id),
    orderId: Number(o.orderId),
    orderListId: -1,
    price: spot8(t.price),
    qty: spot8(t.qty),
    quoteQty: spot8(t.qty * t.price),
    commission: spot8(t.fee),
    commissionAsset: t.feeCoin,
    time: t.time,
    isBuyer: o.side === 'buy',
    isMaker: t.maker,
    isBestMatch: true,
  };
}

/** A USDⓈ-M fill as GET /fapi/v1/userTrades lists it. */
export function futuresTradeView(t: TradeRecord): Record<string, unknown> {
  const o = t.order;
  const m = o.market;
  const dp = decimalsOf(m.tickSize);
  return {
    buyer: o.side === 'buy',
    commission: fmt(t.fee),
    commissionAsset: t.feeCoin,
    id: Number(t.id),
    maker: t.maker,
    orderId: Number(o.orderId),
    price: fixed(t.price, dp),
    qty: fixed(t.qty, decimalsOf(m.qtyStep)),
    quoteQty: fmt(t.qty * t.price),
    realizedPnl: fmt(t.realisedPnl),
    side: o.side.toUpperCase(),
    positionSide: o.positionSide.toUpperCase(),
    symbol: m.id,
    time: t.time,
  };
}
