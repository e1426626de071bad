// Binance spot (/api/v3) and USDⓈ-M futures (/fapi) REST as ccxt uses them, plus the few
// /sapi and /dapi calls ccxt makes while loading markets. Errors are HTTP 4xx with {code, msg};
// ccxt picks its error map by URL prefix, so spot and futures use their own codes.

import { randomBytes } from 'node:crypto';
import { candlesOf, DAY_MS, MINUTE_MS } from './candles.js';
import { fmt, isMultipleOf, parseDecimal } from './decimal.js';
import { coinsOf, type MarketSpec } from './markets.js';
import {
  flag,
  jsonReply,
  param,
  textReply,
  type InjectedRefusal,
  type ParsedRequest,
  type Reply,
  type Route,
  type VenueProtocol,
} from './protocol.js';
import { listenKeyRoutes, timestampMessage, type ListenKeys } from './binance-socket.js';
import { checkBinance, type AuthFailure, type Credentials } from './signing.js';
import { Rejection, type OrderRecord, type PositionSide, type TimeInForce, type VenueState } from './state.js';
import type { ConditionalKind } from './conditional-orders.js';
import {
  algoOrderView,
  futuresTradeView,
  spotTradeView,
  bookTicker,
  capitalConfigView,
  futuresAccountView,
  futuresBalanceView,
  futuresOrderView,
  futuresSymbolView,
  futuresTicker24h,
  klineView,
  leverageBracketView,
  positionRiskView,
  premiumIndex,
  priceTicker,
  spotAccountView,
  spotCancelView,
  spotOrderView,
  spotPlacedView,
  spotSymbolView,
  spotTicker24h,
} from './binance-views.js';

type Section = 'spot' | 'futures';

/** Binance's kline intervals the fake builds (no 1s, 3d, 1w or 1M). */
const BINANCE_INTERVALS: Readonly<Record<string, number>> = {
  ...Object.fromEntries([1, 3, 5, 15, 30].map((minutes) => [`${minutes}m`, minutes * MINUTE_MS])),
  ...Object.fromEntries([1, 2, 4, 6, 8, 12].map((hours) => [`${hours}h`, hours * 60 * MINUTE_MS])),
  '1d': DAY_MS,
};
/** The most klines one request gets: spot 1000, USDⓈ-M 1500 (each section's kline page). */
const MAX_KLINES: Readonly<Record<Section, number>> = { spot: 1000, futures: 1500 };

/** Thrown inside a handler to answer with a Binance error. */
class BinanceError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    msg: string,
  ) {
    super(msg);
  }
}

export const errorReply = (status: number, code: number, msg: string): Reply => jsonReply(status, { code, msg });

const CLIENT_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;

/** The conditional order types of POST /fapi/v1/algoOrder: a stop or a take-profit, at market or with a limit price. */
const CONDITIONAL_TYPES: ReadonlyMap<string, { kind: ConditionalKind; limit: boolean }> = new Map([
  ['STOP_MARKET', { kind: 'stop', limit: false }],
  ['TAKE_PROFIT_MARKET', { kind: 'take_profit', limit: false }],
  ['STOP', { kind: 'stop', limit: true }],
  ['TAKE_PROFIT', { kind: 'take_profit', limit: true }],
] as const);

/** Binance makes up a client id when the request has none. */
function generatedClientId(): string {
  return randomBytes(16).toString('base64url').slice(0, 22);
}

function rejectionToBinance(r: Rejection, section: Section, market: MarketSpec): BinanceError {
  switch (r.reason) {
    case 'insufficient_funds':
      return section === 'spot'
        ? new BinanceError(400, -2010, 'Account has insufficient balance for requested action.')
        : new BinanceError(400, -2019, 'Margin is insufficient.');
    case 'duplicate_client_id':
      return section === 'spot'
        ? new BinanceError(400, -2010, 'Duplicate order sent.')
        : new BinanceError(400, -4116, 'ClientOrderId is duplicated.');
    case 'reduce_only_rejected':
      return new BinanceError(400, -2022, 'ReduceOnly Order is rejected.');
    case 'order_not_found':
      return new BinanceError(400, -2011, 'Unknown order sent.');
    case 'qty_invalid':
      return new BinanceError(400, -1013, 'Filter failure: LOT_SIZE');
    case 'price_invalid':
      return new BinanceError(400, -1013, 'Filter failure: PRICE_FILTER');
    case 'notional_too_small':
      return section === 'spot'
        ? new BinanceError(400, -1013, 'Filter failure: NOTIONAL')
        : new BinanceError(400, -4164, `Order's notional must be no smaller than ${market.minNotional} (unless you choose reduce only).`);
    case 'position_mode_mismatch':
      return new BinanceError(400, -4061, "Order's position side does not match user's setting.");
    case 'protection_invalid':
      return new BinanceError(400, -2021, 'Order would immediately trigger.');
    case 'no_position':
      return new BinanceError(400, -2022, 'ReduceOnly Order is rejected.');
    case 'would_trigger':
      return new BinanceError(400, -2021, 'Order would immediately trigger.');
  }
}

function authFailureReply(f: AuthFailure): Reply {
  switch (f.kind) {
    case 'missing_key':
      return errorReply(401, -2014, 'API-key format invalid.');
    case 'bad_key':
      return errorReply(401, -2015, 'Invalid API-key, IP, or permissions for action.');
    case 'missing_signature':
      return errorReply(400, -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
    case 'bad_signature':
      return errorReply(400, -1022, 'Signature for this request is not valid.');
    case 'missing_timestamp':
      return errorReply(400, -1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.");
    case 'recv_window_too_large':
      return errorReply(400, -1131, 'recvWindow must be less than 60000');
    case 'timestamp_outside_window':
      return errorReply(400, -1021, timestampMessage(f));
  }
}

export function binanceProtocol(state: VenueState, creds: Credentials, listenKeys: ListenKeys): VenueProtocol {
  const kindOf = (section: Section): 'spot' | 'linear' => (section === 'spot' ? 'spot' : 'linear');

  const marketOf = (section: Section, symbol: string | undefined): MarketSpec => {
    if (symbol === undefined) throw new BinanceError(400, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
    const market = state.market(symbol, kindOf(section));
    if (market === undefined) throw new BinanceError(400, -1121, 'Invalid symbol.');
    return market;
  };

  /** Markets for endpoints where the symbol is optional: one object with it, a list without. */
  const perSymbol = (section: Section, req: ParsedRequest, view: (m: MarketSpec) => Record<string, unknown>): Reply => {
    const symbol = param(req.params, 'symbol');
    if (symbol !== undefined) return jsonReply(200, view(marketOf(section, symbol)));
    return jsonReply(200, state.markets.filter((m) => m.kind === kindOf(section)).map(view));
  };

  const orderRef = (req: ParsedRequest): { orderId?: string; clientOrderId?: string } => {
    const orderId = param(req.params, 'orderId');
    const clientOrderId = param(req.params, 'origClientOrderId');
    if (orderId === undefined && clientOrderId === undefined) {
      throw new BinanceError(400, -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
    }
    return { orderId, clientOrderId };
  };

  const placeOrder = (section: Section, req: ParsedRequest): Reply => {
    const market = marketOf(section, param(req.params, 'symbol'));
    const sideRaw = param(req.params, 'side');
    if (sideRaw !== 'BUY' && sideRaw !== 'SELL') throw new BinanceError(400, -1102, "Mandatory parameter 'side' was not sent, was empty/null, or malformed.");
    const side = sideRaw === 'BUY' ? 'buy' : 'sell';
    const typeRaw = param(req.params, 'type');
    const allowedTypes = section === 'spot' ? ['MARKET', 'LIMIT', 'LIMIT_MAKER'] : ['MARKET', 'LIMIT'];
    if (typeRaw === undefined || !allowedTypes.includes(typeRaw)) throw new BinanceError(400, -1116, 'Invalid orderType.');
    const type = typeRaw === 'MARKET' ? 'market' : 'limit';
    const clientOrderId = param(req.params, 'newClientOrderId') ?? generatedClientId();
    if (!CLIENT_ID.test(clientOrderId)) {
      throw new BinanceError(400, -1100, "Illegal characters found in parameter 'newClientOrderId'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'.");
    }
    const quantity = parseDecimal(req.params['quantity']);
    const quoteOrderQty = section === 'spot' && type === 'market' ? parseDecimal(req.params['quoteOrderQty']) : undefined;
    if (quantity === undefined && quoteOrderQty === undefined) {
      throw new BinanceError(400, -1102, "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed.");
    }
    const price = parseDecimal(req.params['price']);
    if (type === 'limit' && price === undefined) throw new BinanceError(400, -1102, "Mandatory parameter 'price' was not sent, was empty/null, or malformed.");
    const tifRaw = param(req.params, 'timeInForce') ?? 'GTC';
    let tif: TimeInForce = tifRaw === 'IOC' || tifRaw === 'FOK' ? tifRaw : tifRaw === 'GTX' ? 'PostOnly' : 'GTC';
    if (typeRaw === 'LIMIT_MAKER') tif = 'PostOnly';
    // a spot LIMIT_MAKER that would trade is refused outright; a futures GTX one is accepted and expires
    if (section === 'spot' && tif === 'PostOnly' && price !== undefined && state.wouldTake(market, side, price)) {
      throw new BinanceError(400, -2010, 'Order would immediately match and take.');
    }
    let positionSide: PositionSide = 'both';
    let reduceOnly = false;
    if (section === 'futures') {
      const ps = param(req.params, 'positionSide') ?? 'BOTH';
      if (ps !== 'BOTH' && ps !== 'LONG' && ps !== 'SHORT') throw new BinanceError(400, -4061, "Order's position side does not match user's setting.");
      positionSide = ps === 'LONG' ? 'long' : ps === 'SHORT' ? 'short' : 'both';
      reduceOnly = flag(req.params, 'reduceOnly');
      if (reduceOnly && state.hedgeMode) throw new BinanceError(400, -1106, "Parameter 'reduceonly' sent when not required.");
    }
    let order: OrderRecord;
    try {
      order = state.placeOrder({
        market,
        side,
        type,
        qty: quantity,
        quoteQty: quantity === undefined ? quoteOrderQty : undefined,
        price: type === 'limit' ? price : undefined,
        timeInForce: type === 'market' ? 'IOC' : tif,
        reduceOnly,
        closeOnTrigger: false,
        positionSide,
        clientOrderId,
      });
    } catch (e) {
      if (e instanceof Rejection) throw rejectionToBinance(e, section, market);
      throw e;
    }
    if (section === 'spot') return jsonReply(200, spotPlacedView(order, param(req.params, 'newOrderRespType') ?? 'FULL'));
    if (param(req.params, 'newOrderRespType') === 'ACK') {
      return jsonReply(200, { ...futuresOrderView(order, false), status: 'NEW', executedQty: '0', cumQty: '0', cumQuote: '0', avgPrice: '0.00' });
    }
    return jsonReply(200, futuresOrderView(order, false));
  };

  const getOrder = (section: Section, req: ParsedRequest): Reply => {
    const market = marketOf(section, param(req.params, 'symbol'));
    const order = state.findOrder(orderRef(req), market);
    if (order === undefined) throw new BinanceError(400, -2013, 'Order does not exist.');
    return jsonReply(200, section === 'spot' ? spotOrderView(order) : futuresOrderView(order, true));
  };

  const cancelOrder = (section: Section, req: ParsedRequest): Reply => {
    const market = marketOf(section, param(req.params, 'symbol'));
    let order: OrderRecord;
    try {
      order = state.cancelOrder(orderRef(req), market);
    } catch (e) {
      if (e instanceof Rejection) throw rejectionToBinance(e, section, market);
      throw e;
    }
    if (section === 'spot') return jsonReply(200, spotCancelView(order, param(req.params, 'newClientOrderId') ?? generatedClientId()));
    return jsonReply(200, futuresOrderView(order, false));
  };

  const openOrders = (section: Section, req: ParsedRequest): Reply => {
    const symbol = param(req.params, 'symbol');
    const market = symbol === undefined ? undefined : marketOf(section, symbol);
    const list = state.openOrders(market).filter((o) => o.market.kind === kindOf(section));
    return jsonReply(200, list.map((o) => (section === 'spot' ? spotOrderView(o) : futuresOrderView(o, true))));
  };

  const openOrder = (req: ParsedRequest): Reply => {
    const market = marketOf('futures', param(req.params, 'symbol'));
    const order = state.findOrder(orderRef(req), market);
    if (order === undefined || order.status !== 'open') throw new BinanceError(400, -2013, 'Order does not exist.');
    return jsonReply(200, futuresOrderView(order, true));
  };

  const cancelAllFutures = (req: ParsedRequest): Reply => {
    const market = marketOf('futures', param(req.params, 'symbol'));
    for (const o of state.openOrders(market)) state.cancelOrder({ orderId: o.orderId }, market);
    return jsonReply(200, { code: 200, msg: 'The operation of cancel all open order is done.' });
  };

  const cancelAllSpot = (req: ParsedRequest): Reply => {
    const market = marketOf('spot', param(req.params, 'symbol'));
    const open = state.openOrders(market);
    for (const o of open) state.cancelOrder({ orderId: o.orderId }, market);
    return jsonReply(200, open.map((o) => spotCancelView(o, generatedClientId())));
  };

  const positionRisk = (version: 2 | 3) => (req: ParsedRequest): Reply => {
    const symbol = param(req.params, 'symbol');
    const markets = symbol === undefined ? state.markets.filter((m) => m.kind === 'linear') : [marketOf('futures', symbol)];
    const sides: PositionSide[] = state.hedgeMode ? ['long', 'short'] : ['both'];
    const list: Record<string, unknown>[] = [];
    for (const market of markets) {
      for (const side of sides) {
        const p = state.position(market, side);
        // v3 lists only positions that are open; v2 lists every slot
        if (version === 3 && (p === undefined || p.qty === 0)) continue;
        list.push(positionRiskView(state, market, p, side.toUpperCase(), version));
      }
    }
    return jsonReply(200, list);
  };

  const dualGet = (): Reply => jsonReply(200, { dualSidePosition: state.hedgeMode });

  const dualPost = (req: ParsedRequest): Reply => {
    const raw = param(req.params, 'dualSidePosition');
    if (raw !== 'true' && raw !== 'false') throw new BinanceError(400, -1102, "Mandatory parameter 'dualSidePosition' was not sent, was empty/null, or malformed.");
    const hedge = raw === 'true';
    if (hedge === state.hedgeMode) throw new BinanceError(400, -4059, 'No need to change position side.');
    if (state.openPositions().some((p) => p.market.kind === 'linear')) {
      throw new BinanceError(400, -4068, 'Position side cannot be changed if there exists position.');
    }
    state.hedgeMode = hedge;
    return jsonReply(200, { code: 200, msg: 'success' });
  };

  /** A parameter that must be a price on the market's tick. */
  const priceOf = (req: ParsedRequest, key: string, market: MarketSpec): number => {
    const value = parseDecimal(req.params[key]);
    if (value === undefined) throw new BinanceError(400, -1102, `Mandatory parameter '${key}' was not sent, was empty/null, or malformed.`);
    if (!(value > 0) || !isMultipleOf(value, market.tickSize)) throw new BinanceError(400, -1013, 'Filter failure: PRICE_FILTER');
    return value;
  };

  /** POST /fapi/v1/algoOrder with algoType CONDITIONAL: a stop or take-profit waiting beside the books. */
  const placeAlgoOrder = (req: ParsedRequest): Reply => {
    const market = marketOf('futures', param(req.params, 'symbol'));
    if (param(req.params, 'algoType') !== 'CONDITIONAL') throw new BinanceError(400, -1102, "Mandatory parameter 'algoType' was not sent, was empty/null, or malformed.");
    const sideRaw = param(req.params, 'side');
    if (sideRaw !== 'BUY' && sideRaw !== 'SELL') throw new BinanceError(400, -1102, "Mandatory parameter 'side' was not sent, was empty/null, or malformed.");
    const typeRaw = param(req.params, 'type');
    const type = typeRaw === undefined ? undefined : CONDITIONAL_TYPES.get(typeRaw);
    // TRAILING_STOP_MARKET is Binance's too, but the fake models no trailing
    if (type === undefined) throw new BinanceError(400, -1116, 'Invalid orderType.');
    const triggerPrice = priceOf(req, 'triggerPrice', market);
    const price = type.limit ? priceOf(req, 'price', market) : undefined;
    const closePosition = flag(req.params, 'closePosition');
    if (closePosition && type.limit) throw new BinanceError(400, -4136, 'Target strategy invalid for orderType STOP,closePosition true');
    const quantity = parseDecimal(req.params['quantity']);
    if (!closePosition && quantity === undefined) throw new BinanceError(400, -1102, "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed.");
    if (quantity !== undefined && (!(quantity > 0) || !isMultipleOf(quantity, market.qtyStep) || quantity < Number(market.minQty))) {
      throw new BinanceError(400, -1013, 'Filter failure: LOT_SIZE');
    }
    const ps = param(req.params, 'positionSide') ?? 'BOTH';
    const positionSide: PositionSide = ps === 'LONG' ? 'long' : ps === 'SHORT' ? 'short' : 'both';
    if ((positionSide === 'both') === state.hedgeMode) throw new BinanceError(400, -4061, "Order's position side does not match user's setting.");
    const reduceOnly = flag(req.params, 'reduceOnly');
    if (reduceOnly && state.hedgeMode) throw new BinanceError(400, -1106, "Parameter 'reduceonly' sent when not required.");
    const clientId = param(req.params, 'clientAlgoId') ?? generatedClientId();
    if (!CLIENT_ID.test(clientId)) {
      throw new BinanceError(400, -1100, "Illegal characters found in parameter 'clientAlgoId'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'.");
    }
    const tifRaw = param(req.params, 'timeInForce') ?? 'GTC';
    const timeInForce: TimeInForce = tifRaw === 'IOC' || tifRaw === 'FOK' ? tifRaw : tifRaw === 'GTX' ? 'PostOnly' : 'GTC';
    try {
      const placed = state.conditionals.place({
        market,
        side: sideRaw === 'BUY' ? 'buy' : 'sell',
        kind: type.kind,
        triggerPrice,
        ...(price === undefined ? {} : { price }),
        ...(quantity === undefined || closePosition ? {} : { qty: quantity }),
        closePosition,
        reduceOnly,
        positionSide,
        timeInForce,
        clientId,
      });
      return jsonReply(200, algoOrderView(placed));
    } catch (e) {
      // the algo service's own code for it (ccxt 4.5.84's binance exceptions: -20132 BadRequest)
      if (e instanceof Rejection && e.reason === 'duplicate_client_id') throw new BinanceError(400, -20132, 'The client algo id is duplicated.');
      if (e instanceof Rejection) throw rejectionToBinance(e, 'futures', market);
      throw e;
    }
  };

  const algoRef = (req: ParsedRequest): { id?: string; clientId?: string } => {
    const id = param(req.params, 'algoId');
    const clientId = param(req.params, 'clientAlgoId');
    if (id === undefined && clientId === undefined) throw new BinanceError(400, -1102, "Param 'clientAlgoId' or 'algoId' must be sent, but both were empty/null!");
    return { id, clientId };
  };

  const getAlgoOrder = (req: ParsedRequest): Reply => {
    const found = state.conditionals.find(algoRef(req));
    if (found === undefined) throw new BinanceError(400, -2013, 'Order does not exist.');
    return jsonReply(200, algoOrderView(found));
  };

  const cancelAlgoOrder = (req: ParsedRequest): Reply => {
    const ref = algoRef(req);
    const found = state.conditionals.find(ref);
    if (found === undefined) throw new BinanceError(400, -2011, 'Unknown order sent.');
    try {
      state.conditionals.cancel(ref, found.market);
    } catch (e) {
      if (e instanceof Rejection) throw new BinanceError(400, -2011, 'Unknown order sent.');
      throw e;
    }
    return jsonReply(200, { algoId: Number(found.id), clientAlgoId: found.clientId, code: '200', msg: 'success' });
  };

  const openAlgoOrders = (req: ParsedRequest): Reply => {
    const symbol = param(req.params, 'symbol');
    const market = symbol === undefined ? undefined : marketOf('futures', symbol);
    return jsonReply(200, state.conditionals.open(market).map(algoOrderView));
  };

  const allAlgoOrders = (req: ParsedRequest): Reply => {
    const market = marketOf('futures', param(req.params, 'symbol'));
    return jsonReply(200, state.conditionals.history(market).map(algoOrderView));
  };

  /** GET /api/v3/myTrades, /fapi/v1/userTrades: a symbol's fills, oldest first, at most `limit` (default 500) of the newest. */
  const myTrades = (section: Section) => (req: ParsedRequest): Reply => {
    const market = marketOf(section, param(req.params, 'symbol'));
    const orderId = param(req.params, 'orderId');
    const limit = Math.min(Math.max(Number(param(req.params, 'limit') ?? 500) || 500, 1), 1000);
    const fills = state.trades(market).filter((t) => orderId === undefined || t.order.orderId === orderId).slice(-limit);
    return jsonReply(200, fills.map(section === 'spot' ? spotTradeView : futuresTradeView));
  };

  /** GET /fapi/v1/commissionRate: the symbol's maker and taker rates. */
  const commissionRate = (req: ParsedRequest): Reply => {
    const market = marketOf('futures', param(req.params, 'symbol'));
    const rates = state.feeRates.linear;
    return jsonReply(200, { symbol: market.id, makerCommissionRate: fmt(rates.maker, 6), takerCommissionRate: fmt(rates.taker, 6) });
  };

  /** POST /fapi/v1/marginType: CROSSED or ISOLATED, refused while the market holds a position or open orders. */
  const marginType = (req: ParsedRequest): Reply => {
    const market = marketOf('futures', param(req.params, 'symbol'));
    const raw = param(req.params, 'marginType');
    if (raw !== 'CROSSED' && raw !== 'ISOLATED') throw new BinanceError(400, -1102, "Mandatory parameter 'marginType' was not sent, was empty/null, or malformed.");
    const mode = raw === 'ISOLATED' ? 'isolated' : 'cross';
    if (mode === state.marginMode(market)) throw new BinanceError(400, -4046, 'No need to change margin type.');
    if (state.openOrders(market).length > 0) throw new BinanceError(400, -4047, 'Margin type cannot be changed if there exists open orders.');
    if (state.openPositions().some((p) => p.market === market)) throw new BinanceError(400, -4048, 'Margin type cannot be changed if there exists position.');
    state.setMarginMode(market, mode);
    return jsonReply(200, { code: 200, msg: 'success' });
  };

  const leverage = (req: ParsedRequest): Reply => {
    const market = marketOf('futures', param(req.params, 'symbol'));
    const value = parseDecimal(req.params['leverage']);
    if (value === undefined || !Number.isInteger(value) || value < 1 || value > market.maxLeverage) {
      throw new BinanceError(400, -4028, 'Leverage is not valid');
    }
    state.setLeverage(market, value);
    return jsonReply(200, { leverage: value, maxNotionalValue: '1000000', symbol: market.id });
  };

  const leverageBracket = (req: ParsedRequest): Reply => {
    const symbol = param(req.params, 'symbol');
    const markets = symbol === undefined ? state.markets.filter((m) => m.kind === 'linear') : [marketOf('futures', symbol)];
    return jsonReply(200, markets.map(leverageBracketView));
  };

  const exchangeInfo = (section: Section) => (): Reply =>
    jsonReply(200, {
      timezone: 'UTC',
      serverTime: state.now(),
      rateLimits: [
        { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: section === 'spot' ? 6000 : 2400 },
        { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: 1200 },
      ],
      exchangeFilters: [],
      ...(section === 'futures' ? { futuresType: 'U_MARGINED', assets: [{ asset: 'USDT', marginAvailable: true, autoAssetExchange: '-10000' }] } : {}),
      symbols: state.markets.filter((m) => m.kind === kindOf(section)).map(section === 'spot' ? spotSymbolView : futuresSymbolView),
    });

  /**
   * GET /api/v3/klines, /fapi/v1/klines: oldest first. With startTime, the candles opening at or
   * after it (up to endTime), `limit` (default 500) from the oldest; without it, the newest up to
   * endTime or now.
   */
  const klines = (section: Section) => (req: ParsedRequest): Reply => {
    const market = marketOf(section, param(req.params, 'symbol'));
    const intervalMs = BINANCE_INTERVALS[param(req.params, 'interval') ?? ''];
    if (intervalMs === undefined) throw new BinanceError(400, -1120, 'Invalid interval.');
    const limit = Math.min(Math.max(Number(param(req.params, 'limit') ?? 500) || 500, 1), MAX_KLINES[section]);
    const start = parseDecimal(req.params['startTime']);
    const end = parseDecimal(req.params['endTime']) ?? state.now();
    const candles = candlesOf(state.tape(market), intervalMs, state.now(), { from: start ?? Number.NEGATIVE_INFINITY, to: end, limit, newest: start === undefined });
    return jsonReply(200, candles.map((c) => klineView(market, c, intervalMs)));
  };

  const time = (): Reply => jsonReply(200, { serverTime: state.now() });
  const empty = (): Reply => jsonReply(200, {});
  const emptyList = (): Reply => jsonReply(200, []);

  const guarded =
    (handler: (req: ParsedRequest) => Reply) =>
    (req: ParsedRequest): Reply => {
      try {
        return handler(req);
      } catch (e) {
        if (e instanceof BinanceError) return errorReply(e.status, e.code, e.message);
        throw e;
      }
    };

  const table: Route[] = [
    // spot
    { method: 'GET', path: '/api/v3/ping', signed: false, handle: empty },
    { method: 'GET', path: '/api/v3/time', signed: false, handle: time },
    { method: 'GET', path: '/api/v3/exchangeInfo', signed: false, handle: exchangeInfo('spot') },
    { method: 'GET', path: '/api/v3/ticker/24hr', signed: false, handle: (r) => perSymbol('spot', r, (m) => spotTicker24h(state, m)) },
    { method: 'GET', path: '/api/v3/ticker/price', signed: false, handle: (r) => perSymbol('spot', r, (m) => priceTicker(state, m)) },
    { method: 'GET', path: '/api/v3/ticker/bookTicker', signed: false, handle: (r) => perSymbol('spot', r, (m) => bookTicker(state, m)) },
    { method: 'GET', path: '/api/v3/klines', signed: false, handle: klines('spot') },
    { method: 'GET', path: '/api/v3/account', signed: true, handle: () => jsonReply(200, spotAccountView(state)) },
    { method: 'POST', path: '/api/v3/order', signed: true, placesOrder: true, handle: (r) => placeOrder('spot', r) },
    { method: 'GET', path: '/api/v3/order', signed: true, handle: (r) => getOrder('spot', r) },
    { method: 'DELETE', path: '/api/v3/order', signed: true, handle: (r) => cancelOrder('spot', r) },
    { method: 'GET', path: '/api/v3/openOrders', signed: true, handle: (r) => openOrders('spot', r) },
    { method: 'DELETE', path: '/api/v3/openOrders', signed: true, handle: cancelAllSpot },
    { method: 'GET', path: '/api/v3/myTrades', signed: true, handle: myTrades('spot') },
    // USDⓈ-M futures
    { method: 'GET', path: '/fapi/v1/ping', signed: false, handle: empty },
    { method: 'GET', path: '/fapi/v1/time', signed: false, handle: time },
    { method: 'GET', path: '/fapi/v1/exchangeInfo', signed: false, handle: exchangeInfo('futures') },
    { method: 'GET', path: '/fapi/v1/ticker/24hr', signed: false, handle: (r) => perSymbol('futures', r, (m) => futuresTicker24h(state, m)) },
    { method: 'GET', path: '/fapi/v1/ticker/price', signed: false, handle: (r) => perSymbol('futures', r, (m) => priceTicker(state, m)) },
    { method: 'GET', path: '/fapi/v2/ticker/price', signed: false, handle: (r) => perSymbol('futures', r, (m) => priceTicker(state, m)) },
    { method: 'GET', path: '/fapi/v1/ticker/bookTicker', signed: false, handle: (r) => perSymbol('futures', r, (m) => bookTicker(state, m)) },
    { method: 'GET', path: '/fapi/v1/premiumIndex', signed: false, handle: (r) => perSymbol('futures', r, (m) => premiumIndex(state, m)) },
    { method: 'GET', path: '/fapi/v1/klines', signed: false, handle: klines('futures') },
    { method: 'GET', path: '/fapi/v2/balance', signed: true, handle: () => jsonReply(200, futuresBalanceView(state)) },
    { method: 'GET', path: '/fapi/v3/balance', signed: true, handle: () => jsonReply(200, futuresBalanceView(state)) },
    { method: 'GET', path: '/fapi/v2/account', signed: true, handle: () => jsonReply(200, futuresAccountView(state, 2)) },
    { method: 'GET', path: '/fapi/v3/account', signed: true, handle: () => jsonReply(200, futuresAccountView(state, 3)) },
    { method: 'GET', path: '/fapi/v2/positionRisk', signed: true, handle: positionRisk(2) },
    { method: 'GET', path: '/fapi/v3/positionRisk', signed: true, handle: positionRisk(3) },
    { method: 'GET', path: '/fapi/v1/leverageBracket', signed: true, handle: leverageBracket },
    { method: 'POST', path: '/fapi/v1/leverage', signed: true, handle: leverage },
    { method: 'GET', path: '/fapi/v1/positionSide/dual', signed: true, handle: dualGet },
    { method: 'POST', path: '/fapi/v1/positionSide/dual', signed: true, handle: dualPost },
    { method: 'POST', path: '/fapi/v1/order', signed: true, placesOrder: true, handle: (r) => placeOrder('futures', r) },
    { method: 'GET', path: '/fapi/v1/order', signed: true, handle: (r) => getOrder('futures', r) },
    { method: 'DELETE', path: '/fapi/v1/order', signed: true, handle: (r) => cancelOrder('futures', r) },
    { method: 'GET', path: '/fapi/v1/openOrders', signed: true, handle: (r) => openOrders('futures', r) },
    { method: 'GET', path: '/fapi/v1/openOrder', signed: true, handle: openOrder },
    { method: 'DELETE', path: '/fapi/v1/allOpenOrders', signed: true, handle: cancelAllFutures },
    { method: 'POST', path: '/fapi/v1/algoOrder', signed: true, placesOrder: true, handle: placeAlgoOrder },
    { method: 'GET', path: '/fapi/v1/algoOrder', signed: true, handle: getAlgoOrder },
    { method: 'DELETE', path: '/fapi/v1/algoOrder', signed: true, handle: cancelAlgoOrder },
    { method: 'GET', path: '/fapi/v1/openAlgoOrders', signed: true, handle: openAlgoOrders },
    { method: 'GET', path: '/fapi/v1/allAlgoOrders', signed: true, handle: allAlgoOrders },
    { method: 'POST', path: '/fapi/v1/marginType', signed: true, handle: marginType },
    { method: 'GET', path: '/fapi/v1/userTrades', signed: true, handle: myTrades('futures') },
    { method: 'GET', path: '/fapi/v1/commissionRate', signed: true, handle: commissionRate },
    ...listenKeyRoutes(creds, listenKeys),
    // what ccxt's loadMarkets asks for by default: no COIN-M markets, no margin pairs
    { method: 'GET', path: '/dapi/v1/exchangeInfo', signed: false, handle: () => jsonReply(200, { timezone: 'UTC', serverTime: state.now(), symbols: [] }) },
    { method: 'GET', path: '/sapi/v1/capital/config/getall', signed: true, handle: () => jsonReply(200, capitalConfigView(coinsOf(state.markets))) },
    { method: 'GET', path: '/sapi/v1/margin/allPairs', signed: true, handle: emptyList },
    { method: 'GET', path: '/sapi/v1/margin/isolated/allPairs', signed: true, handle: emptyList },
  ];

  return {
    routes: table.map((r) => ({ ...r, handle: guarded(r.handle) })),
    authenticate: (req) => {
      const failure = checkBinance(req, creds, state.now());
      return failure === undefined ? undefined : authFailureReply(failure);
    },
    refusal: (kind: InjectedRefusal, req) => {
      switch (kind) {
        case 'insufficient_funds':
          return req.path.startsWith('/fapi/')
            ? errorReply(400, -2019, 'Margin is insufficient.')
            : errorReply(400, -2010, 'Account has insufficient balance for requested action.');
        case 'rate_limit':
          return errorReply(
            429,
            -1003,
            'Too many requests; current limit of IP(127.0.0.1) is 2400 requests per minute. Please use the websocket for live updates to avoid polling the API.',
          );
        case 'auth':
          return errorReply(401, -2015, 'Invalid API-key, IP, or permissions for action.');
        case 'status_unknown':
          return errorReply(503, -1006, 'An unexpected response was received from the message bus. Execution status unknown.');
      }
    },
    notFound: () => textReply(404, '<html><body><h2>404 Not found</h2></body></html>'),
  };
}
