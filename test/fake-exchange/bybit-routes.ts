// Bybit v5 REST as ccxt uses it. Every answer is HTTP 200 with a retCode, errors included,
// because that is how Bybit reports them and how ccxt's handleErrors reads them.

import { candlesOf, DAY_MS, MINUTE_MS } from './candles.js';
import { decimalsOf, fixed, fmt, isMultipleOf, parseDecimal } from './decimal.js';
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
import { checkBybit, type AuthFailure, type Credentials } from './signing.js';
import { Rejection, type OrderRecord, type PositionSide, type TimeInForce, type VenueState } from './state.js';
import type { MarketKind } from './types.js';
import {
  bybitOrderStatus,
  executionView,
  instrumentView,
  orderView,
  positionView,
  tickerView,
  walletView,
} from './bybit-views.js';

type Category = MarketKind | 'option';

/** Bybit's kline intervals (minutes, and D for a day); the fake builds no weekly or monthly candles. */
const BYBIT_INTERVALS: Readonly<Record<string, number>> = {
  ...Object.fromEntries([1, 3, 5, 15, 30, 60, 120, 240, 360, 720].map((minutes) => [String(minutes), minutes * MINUTE_MS])),
  D: DAY_MS,
};

/** Bybit's answer envelope; `time` is the exchange's clock. */
export function okAt(time: number, result: unknown): Reply {
  return jsonReply(200, { retCode: 0, retMsg: 'OK', result, retExtInfo: {}, time });
}

export function failAt(time: number, retCode: number, retMsg: string): Reply {
  return jsonReply(200, { retCode, retMsg, result: {}, retExtInfo: {}, time });
}

/** Thrown inside a handler to answer with a Bybit error. */
class BybitError extends Error {
  constructor(
    readonly retCode: number,
    readonly retMsg: string,
  ) {
    super(retMsg);
  }
}

function category(req: ParsedRequest, allowed: readonly Category[]): Category {
  const value = param(req.params, 'category');
  const found = allowed.find((c) => c === value);
  if (found === undefined) throw new BybitError(10001, `Illegal category: ${String(value)}`);
  return found;
}

function tradeCategory(req: ParsedRequest, allowed: readonly MarketKind[]): MarketKind {
  const value = param(req.params, 'category');
  const found = allowed.find((c) => c === value);
  if (found === undefined) throw new BybitError(10001, `Illegal category: ${String(value)}`);
  return found;
}

function rejectionToBybit(r: Rejection, market: MarketSpec, qty: number | undefined): BybitError {
  const spot = market.kind === 'spot';
  switch (r.reason) {
    case 'insufficient_funds':
      return spot ? new BybitError(170131, 'Insufficient balance.') : new BybitError(110007, 'ab not enough for new order');
    case 'duplicate_client_id':
      return spot ? new BybitError(170141, 'Duplicate clientOrderId') : new BybitError(110072, 'OrderLinkedID is duplicate');
    case 'reduce_only_rejected':
      return new BybitError(110017, 'Reduce-only rule not satisfied');
    case 'order_not_found':
      return spot ? new BybitError(170213, 'Order does not exist.') : new BybitError(110001, 'Order does not exist');
    case 'qty_invalid':
      if (!spot) return new BybitError(10001, `Qty invalid: ${r.message}`);
      return qty !== undefined && !isMultipleOf(qty, market.qtyStep)
        ? new BybitError(170137, 'Order volume decimal too long.')
        : new BybitError(170136, 'Order quantity lower than the minimum.');
    case 'price_invalid':
      return spot ? new BybitError(170134, 'Order price decimal too long.') : new BybitError(10001, `Price invalid: ${r.message}`);
    case 'notional_too_small':
      return spot
        ? new BybitError(170140, 'Order value exceeded lower limit.')
        : new BybitError(110094, `Order does not meet minimum order value ${market.minNotional}${market.settle}`);
    case 'position_mode_mismatch':
      return new BybitError(10001, 'position idx not match position mode');
    case 'protection_invalid':
      return new BybitError(10001, r.message);
    case 'no_position':
      return new BybitError(10001, 'can not set tp/sl/ts for zero position');
    case 'would_trigger':
      return new BybitError(10001, r.message);
  }
}

function authFailureReply(time: number, f: AuthFailure): Reply {
  const fail = (retCode: number, retMsg: string): Reply => failAt(time, retCode, retMsg);
  switch (f.kind) {
    case 'missing_key':
    case 'bad_key':
      return fail(10003, 'API key is invalid.');
    case 'missing_timestamp':
    case 'recv_window_too_large':
      return fail(10002, 'invalid request, please check your server timestamp or recv_window param');
    case 'timestamp_outside_window':
      return fail(
        10002,
        `invalid request, please check your server timestamp or recv_window param. req_timestamp[${f.timestamp}],server_timestamp[${f.serverTime}],recv_window[${f.recvWindow}]`,
      );
    case 'missing_signature':
    case 'bad_signature':
      return fail(10004, 'error sign! please check your signature generation algorithm.');
  }
}

const ORDER_LINK_ID = /^[A-Za-z0-9_-]{1,36}$/;

const TRIGGER_BY = ['LastPrice', 'MarkPrice', 'IndexPrice'];

/** The fake holds take-profit and stop-loss for the whole position ("Full"), triggered by any price kind (one price here). */
function checkFullMode(req: ParsedRequest): void {
  const mode = param(req.params, 'tpslMode') ?? 'Full';
  if (mode !== 'Full') throw new BybitError(10001, `params error: tpslMode ${mode}: the fake exchange models Full only`);
  for (const key of ['tpTriggerBy', 'slTriggerBy']) {
    const by = param(req.params, key);
    if (by !== undefined && !TRIGGER_BY.includes(by)) throw new BybitError(10001, `params error: ${key} invalid: ${by}`);
  }
  for (const key of ['tpOrderType', 'slOrderType']) {
    const type = param(req.params, key);
    if (type !== undefined && type !== 'Market') throw new BybitError(10001, `params error: ${key} ${type}: Full mode closes at Market`);
  }
}

/** A take-profit or stop-loss price: undefined when absent, 0 to remove one (trading-stop), else on the market's tick. */
function priceParam(req: ParsedRequest, key: string, market: MarketSpec): number | undefined {
  const raw = req.params[key];
  if (raw === undefined || raw === '') return undefined;
  const value = parseDecimal(raw);
  if (value === undefined || value < 0 || (value > 0 && !isMultipleOf(value, market.tickSize))) throw new BybitError(10001, `params error: ${key} invalid: ${String(raw)}`);
  return value;
}

export function bybitProtocol(state: VenueState, creds: Credentials): VenueProtocol {
  const ok = (result: unknown): Reply => okAt(state.now(), result);
  const fail = (retCode: number, retMsg: string): Reply => failAt(state.now(), retCode, retMsg);
  const marketOf = (kind: MarketKind, symbol: string | undefined): MarketSpec => {
    const market = symbol === undefined ? undefined : state.market(symbol, kind);
    if (market === undefined) throw new BybitError(10001, `params error: symbol invalid: ${String(symbol)}`);
    return market;
  };

  const orderSelection = (req: ParsedRequest, kind: MarketKind, open: boolean): OrderRecord[] => {
    const symbol = param(req.params, 'symbol');
    const orderId = param(req.params, 'orderId');
    const orderLinkId = param(req.params, 'orderLinkId');
    const settleCoin = param(req.params, 'settleCoin');
    const baseCoin = param(req.params, 'baseCoin');
    const statusFilter = param(req.params, 'orderStatus');
    const byId = orderId !== undefined || orderLinkId !== undefined;
    if (open && !byId && kind !== 'spot' && symbol === undefined && settleCoin === undefined && baseCoin === undefined) {
      throw new BybitError(10001, 'Missing some parameters that must be filled in, symbol or settleCoin or baseCoin');
    }
    // the indexes narrow the candidates (oldest first, like every order); the filter below decides
    const maybe = (o: OrderRecord | undefined): OrderRecord[] => (o === undefined ? [] : [o]);
    const candidates: readonly OrderRecord[] =
      orderId !== undefined
        ? maybe(state.orderById(orderId))
        : orderLinkId !== undefined
          ? state.ordersWithClientId(orderLinkId)
          : open
            ? state.openOrders()
            : state.orders;
    return candidates
      .filter((o) => {
        if (o.market.kind !== kind) return false;
        if (symbol !== undefined && o.market.id !== symbol) return false;
        if (orderId !== undefined && o.orderId !== orderId) return false;
        if (orderLinkId !== undefined && o.clientOrderId !== orderLinkId) return false;
        if (settleCoin !== undefined && o.market.settle !== settleCoin) return false;
        if (baseCoin !== undefined && o.market.base !== baseCoin) return false;
        if (statusFilter !== undefined && !statusFilter.split(',').includes(bybitOrderStatus(o.status))) return false;
        // realtime lists open orders, but a lookup by id also finds recent finished ones
        if (open) return byId || o.status === 'open';
        return o.status !== 'open';
      })
      .reverse();
  };

  /** takeProfit / stopLoss sent with a contract order: held for the position it opens. */
  const attachedProtection = (req: ParsedRequest, kind: MarketKind): { takeProfit?: number; stopLoss?: number } | undefined => {
    if (req.params['takeProfit'] === undefined && req.params['stopLoss'] === undefined) return undefined;
    if (kind === 'spot') throw new BybitError(10001, 'params error: the fake exchange models take-profit and stop-loss on contracts only');
    checkFullMode(req);
    const market = marketOf(kind, param(req.params, 'symbol'));
    const takeProfit = priceParam(req, 'takeProfit', market);
    const stopLoss = priceParam(req, 'stopLoss', market);
    const protection: { takeProfit?: number; stopLoss?: number } = {};
    if (takeProfit !== undefined && takeProfit > 0) protection.takeProfit = takeProfit;
    if (stopLoss !== undefined && stopLoss > 0) protection.stopLoss = stopLoss;
    return protection;
  };

  const createOrder = (req: ParsedRequest): Reply => {
    const kind = tradeCategory(req, ['spot', 'linear', 'inverse']);
    const market = marketOf(kind, param(req.params, 'symbol'));
    const sideRaw = param(req.params, 'side');
    if (sideRaw !== 'Buy' && sideRaw !== 'Sell') throw new BybitError(10001, `params error: side invalid: ${String(sideRaw)}`);
    const side = sideRaw === 'Buy' ? 'buy' : 'sell';
    const typeRaw = param(req.params, 'orderType');
    if (typeRaw !== 'Market' && typeRaw !== 'Limit') throw new BybitError(10001, `params error: orderType invalid: ${String(typeRaw)}`);
    const type = typeRaw === 'Market' ? 'market' : 'limit';
    const orderLinkId = param(req.params, 'orderLinkId') ?? '';
    if (orderLinkId !== '' && !ORDER_LINK_ID.test(orderLinkId)) throw new BybitError(10001, 'params error: orderLinkId invalid');
    const qtyRaw = parseDecimal(req.params['qty']);
    const price = parseDecimal(req.params['price']);
    if (type === 'limit' && price === undefined) throw new BybitError(10001, 'params error: price is required for limit orders');
    const tifRaw = param(req.params, 'timeInForce') ?? 'GTC';
    const tif: TimeInForce | undefined =
      tifRaw === 'GTC' || tifRaw === 'IOC' || tifRaw === 'FOK' || tifRaw === 'PostOnly' ? tifRaw : undefined;
    if (tif === undefined) throw new BybitError(10001, `params error: timeInForce invalid: ${tifRaw}`);
    const reduceOnly = kind !== 'spot' && flag(req.params, 'reduceOnly');
    const closeOnTrigger = kind !== 'spot' && flag(req.params, 'closeOnTrigger');
    const idx = param(req.params, 'positionIdx') ?? '0';
    const positionSide: PositionSide | undefined = idx === '0' ? 'both' : idx === '1' ? 'long' : idx === '2' ? 'short' : undefined;
    if (positionSide === undefined) throw new BybitError(10001, `params error: positionIdx invalid: ${idx}`);
    // spot market orders: qty is quote currency for buys unless marketUnit says otherwise
    const unit = param(req.params, 'marketUnit') ?? (side === 'buy' ? 'quoteCoin' : 'baseCoin');
    const quoteSized = kind === 'spot' && type === 'market' && unit === 'quoteCoin';
    // qty "0" (or none) on a reduce-only market order closes the whole position
    const closeAll = (qtyRaw === undefined || qtyRaw === 0) && (reduceOnly || closeOnTrigger);
    if (qtyRaw === undefined && !closeAll) throw new BybitError(10001, 'params error: qty is required');
    const qty = closeAll || quoteSized ? undefined : qtyRaw;
    const protection = attachedProtection(req, kind);
    try {
      const order = state.placeOrder({
        market,
        side,
        type,
        qty,
        quoteQty: quoteSized ? qtyRaw : undefined,
        price: type === 'limit' ? price : undefined,
        timeInForce: type === 'market' ? 'IOC' : tif,
        reduceOnly,
        closeOnTrigger,
        positionSide: kind === 'spot' ? 'both' : positionSide,
        clientOrderId: orderLinkId,
        ...(protection === undefined ? {} : { protection }),
      });
      return ok({ orderId: order.orderId, orderLinkId: order.clientOrderId });
    } catch (e) {
      if (e instanceof Rejection) throw rejectionToBybit(e, market, qty);
      throw e;
    }
  };

  /** POST /v5/position/trading-stop: the position's take-profit and stop-loss ("0" removes one), Full mode. */
  const tradingStop = (req: ParsedRequest): Reply => {
    const kind = tradeCategory(req, ['linear', 'inverse']);
    const market = marketOf(kind, param(req.params, 'symbol'));
    checkFullMode(req);
    if (param(req.params, 'trailingStop') !== undefined && param(req.params, 'trailingStop') !== '0') {
      throw new BybitError(10001, 'params error: the fake exchange models no trailing stop');
    }
    const idx = param(req.params, 'positionIdx') ?? '0';
    const side: PositionSide | undefined = idx === '0' ? 'both' : idx === '1' ? 'long' : idx === '2' ? 'short' : undefined;
    if (side === undefined || (side === 'both') === state.hedgeMode) throw new BybitError(10001, 'position idx not match position mode');
    const takeProfit = priceParam(req, 'takeProfit', market);
    const stopLoss = priceParam(req, 'stopLoss', market);
    if (takeProfit === undefined && stopLoss === undefined) throw new BybitError(10001, 'params error: takeProfit or stopLoss is required');
    try {
      state.setProtection(market, side, { ...(takeProfit === undefined ? {} : { takeProfit }), ...(stopLoss === undefined ? {} : { stopLoss }) });
    } catch (e) {
      if (e instanceof Rejection) throw rejectionToBybit(e, market, undefined);
      throw e;
    }
    return ok({});
  };

  const cancelOrder = (req: ParsedRequest): Reply => {
    const kind = tradeCategory(req, ['spot', 'linear', 'inverse']);
    const market = marketOf(kind, param(req.params, 'symbol'));
    const orderId = param(req.params, 'orderId');
    const clientOrderId = param(req.params, 'orderLinkId');
    if (orderId === undefined && clientOrderId === undefined) throw new BybitError(10001, 'params error: orderId or orderLinkId is required');
    try {
      const order = state.cancelOrder({ orderId, clientOrderId }, market);
      return ok({ orderId: order.orderId, orderLinkId: order.clientOrderId });
    } catch (e) {
      if (e instanceof Rejection) throw rejectionToBybit(e, market, undefined);
      throw e;
    }
  };

  const cancelAll = (req: ParsedRequest): Reply => {
    const kind = tradeCategory(req, ['spot', 'linear', 'inverse']);
    const cancelled = orderSelection(req, kind, true).filter((o) => o.status === 'open');
    for (const o of cancelled) state.cancelOrder({ orderId: o.orderId }, o.market);
    return ok({ list: cancelled.map((o) => ({ orderId: o.orderId, orderLinkId: o.clientOrderId })), success: '1' });
  };

  const positionList = (req: ParsedRequest): Reply => {
    const kind = tradeCategory(req, ['linear', 'inverse']);
    const symbol = param(req.params, 'symbol');
    const settleCoin = param(req.params, 'settleCoin');
    const baseCoin = param(req.params, 'baseCoin');
    const sides: PositionSide[] = state.hedgeMode ? ['long', 'short'] : ['both'];
    const idxOf = (side: PositionSide): number => (side === 'long' ? 1 : side === 'short' ? 2 : 0);
    let list: Record<string, unknown>[];
    if (symbol !== undefined) {
      // asked for one symbol, Bybit lists its position slots even when they are empty
      const market = marketOf(kind, symbol);
      list = sides.map((side) => positionView(state, market, state.position(market, side), idxOf(side)));
    } else {
      if (kind === 'linear' && settleCoin === undefined && baseCoin === undefined) {
        throw new BybitError(10001, 'Missing some parameters that must be filled in, symbol or settleCoin or baseCoin');
      }
      list = state
        .openPositions()
        .filter(
          (p) =>
            p.market.kind === kind &&
            (settleCoin === undefined || p.market.settle === settleCoin) &&
            (baseCoin === undefined || p.market.base === baseCoin),
        )
        .map((p) => positionView(state, p.market, p, idxOf(p.side)));
    }
    return ok({ list, nextPageCursor: '', category: kind });
  };

  const switchMode = (req: ParsedRequest): Reply => {
    tradeCategory(req, ['linear', 'inverse']);
    const mode = param(req.params, 'mode');
    if (mode !== '0' && mode !== '3') throw new BybitError(10001, `params error: mode invalid: ${String(mode)}`);
    const hedge = mode === '3';
    if (hedge === state.hedgeMode) throw new BybitError(110025, 'Position mode is not modified');
    if (state.openPositions().length > 0) {
      throw new BybitError(110024, 'You have an existing position, so position mode cannot be switched');
    }
    state.hedgeMode = hedge;
    return ok({});
  };

  const setLeverage = (req: ParsedRequest): Reply => {
    const kind = tradeCategory(req, ['linear', 'inverse']);
    const market = marketOf(kind, param(req.params, 'symbol'));
    const buy = parseDecimal(req.params['buyLeverage']);
    const sell = parseDecimal(req.params['sellLeverage']);
    if (buy === undefined || sell === undefined || buy !== sell || buy < 1 || buy > market.maxLeverage) {
      throw new BybitError(10001, 'params error: leverage invalid');
    }
    if (buy === state.leverage(market)) throw new BybitError(110043, 'Set leverage not modified');
    state.setLeverage(market, buy);
    return ok({});
  };

  const walletBalance = (req: ParsedRequest): Reply => {
    const accountType = param(req.params, 'accountType');
    if (accountType !== 'UNIFIED') throw new BybitError(10001, 'accountType only support UNIFIED.');
    const wanted = param(req.params, 'coin')?.split(',');
    const coins = wanted ?? state.coinsWithBalance('unified');
    return ok(walletView(state, coins));
  };

  const coinInfo = (): Reply => {
    const rows = coinsOf(state.markets).map((coin) => ({
      name: coin,
      coin,
      remainAmount: '1000000',
      chains: [
        {
          chainType: coin,
          confirmation: '10',
          withdrawFee: '0.0005',
          depositMin: '0',
          withdrawMin: '0.001',
          chain: coin === 'USDT' ? 'ETH' : coin,
          chainDeposit: '1',
          chainWithdraw: '1',
          minAccuracy: '8',
          withdrawPercentageFee: '0',
        },
      ],
    }));
    return ok({ rows });
  };

  const queryApi = (): Reply =>
    ok({
      id: '13770661',
      note: 'fake-exchange',
      apiKey: creds.apiKey,
      readOnly: 0,
      secret: '',
      permissions: {
        ContractTrade: ['Order', 'Position'],
        Spot: ['SpotTrade'],
        Wallet: ['AccountTransfer'],
        Options: [],
        Derivatives: [],
        CopyTrading: [],
        BlockTrade: [],
        Exchange: [],
        NFT: [],
      },
      ips: ['*'],
      type: 1,
      deadlineDay: -1,
      expiredAt: '',
      createdAt: '2024-01-01T00:00:00Z',
      // a unified trade account, which is what current Bybit accounts are
      unified: 0,
      uta: 1,
      userID: 24600000,
      inviterID: 0,
      vipLevel: 'No VIP',
      mktMakerLevel: '0',
      affiliateID: 0,
      rsaPublicKey: '',
      isMaster: true,
    });

  const accountInfo = (): Reply =>
    ok({
      marginMode: 'REGULAR_MARGIN',
      updatedTime: String(state.now()),
      unifiedMarginStatus: 6,
      dcpStatus: 'OFF',
      timeWindow: 10,
      smpGroup: 0,
      isMasterTrader: false,
      spotHedgingStatus: 'OFF',
    });

  const instruments = (req: ParsedRequest): Reply => {
    const cat = category(req, ['spot', 'linear', 'inverse', 'option']);
    const symbol = param(req.params, 'symbol');
    // the fake lists no options and nothing pre-launch: ccxt asks for both while loading markets
    const listed = cat === 'option' || param(req.params, 'status') === 'PreLaunch' ? [] : state.markets;
    const list = listed.filter((m) => m.kind === cat && (symbol === undefined || m.id === symbol)).map(instrumentView);
    return ok({ category: cat, list, nextPageCursor: '' });
  };

  const tickers = (req: ParsedRequest): Reply => {
    const cat = category(req, ['spot', 'linear', 'inverse', 'option']);
    const symbol = param(req.params, 'symbol');
    const listed = cat === 'option' ? [] : state.markets;
    const list = listed.filter((m) => m.kind === cat && (symbol === undefined || m.id === symbol)).map((m) => tickerView(state, m));
    return ok({ category: cat, list });
  };

  /**
   * GET /v5/market/kline: the candles whose span meets [start, end] (the one holding `start`
   * included), at most `limit` (default 200, at most 1000) of the newest, newest first as Bybit
   * sorts them: [startTime, open, high, low, close, volume, turnover], all strings.
   */
  const kline = (req: ParsedRequest): Reply => {
    const kind = param(req.params, 'category') === undefined ? 'linear' : tradeCategory(req, ['spot', 'linear', 'inverse']);
    const market = marketOf(kind, param(req.params, 'symbol'));
    const intervalMs = BYBIT_INTERVALS[param(req.params, 'interval') ?? ''];
    if (intervalMs === undefined) throw new BybitError(10001, `params error: interval invalid: ${String(param(req.params, 'interval'))}`);
    const limit = Math.min(Math.max(Number(param(req.params, 'limit') ?? 200) || 200, 1), 1000);
    const start = parseDecimal(req.params['start']);
    const end = parseDecimal(req.params['end']);
    const from = start === undefined ? Number.NEGATIVE_INFINITY : Math.floor(start / intervalMs) * intervalMs;
    const candles = candlesOf(state.tape(market), intervalMs, state.now(), { from, to: end ?? state.now(), limit, newest: true });
    const dp = decimalsOf(market.tickSize);
    const list = candles.reverse().map((c) => [String(c.openTime), fixed(c.open, dp), fixed(c.high, dp), fixed(c.low, dp), fixed(c.close, dp), fmt(c.volume, decimalsOf(market.qtyStep)), fmt(c.turnover)]);
    return ok({ symbol: market.id, category: kind, list });
  };

  const time = (): Reply => {
    const now = state.now();
    return ok({ timeSecond: String(Math.floor(now / 1000)), timeNano: `${now}000000` });
  };

  const openOrders = (req: ParsedRequest): Reply => {
    const kind = tradeCategory(req, ['spot', 'linear', 'inverse']);
    const list = orderSelection(req, kind, true).map((o) => orderView(state, o));
    return ok({ list, nextPageCursor: '', category: kind });
  };

  const orderHistory = (req: ParsedRequest): Reply => {
    const kind = tradeCategory(req, ['spot', 'linear', 'inverse']);
    const list = orderSelection(req, kind, false).map((o) => orderView(state, o));
    return ok({ list, nextPageCursor: '', category: kind });
  };

  /** GET /v5/execution/list: fills of a category, newest first, by symbol, order or client order id. */
  const executions = (req: ParsedRequest): Reply => {
    const kind = tradeCategory(req, ['spot', 'linear', 'inverse']);
    const symbol = param(req.params, 'symbol');
    const orderId = param(req.params, 'orderId');
    const orderLinkId = param(req.params, 'orderLinkId');
    const limit = Math.min(Math.max(Number(param(req.params, 'limit') ?? 50) || 50, 1), 100);
    const list = state
      .trades(symbol === undefined ? undefined : marketOf(kind, symbol))
      .filter((t) => t.order.market.kind === kind && (orderId === undefined || t.order.orderId === orderId) && (orderLinkId === undefined || t.order.clientOrderId === orderLinkId))
      .reverse()
      .slice(0, limit)
      .map((t) => executionView(state, t));
    return ok({ list, nextPageCursor: '', category: kind });
  };

  /** GET /v5/account/fee-rate: maker and taker rates of a category's symbols. */
  const feeRate = (req: ParsedRequest): Reply => {
    const kind = tradeCategory(req, ['spot', 'linear', 'inverse']);
    const symbol = param(req.params, 'symbol');
    const rates = state.feeRates[kind];
    const markets = symbol === undefined ? state.markets.filter((m) => m.kind === kind) : [marketOf(kind, symbol)];
    const list = markets.map((m) => ({ symbol: m.id, ...(kind === 'spot' ? { baseCoin: m.base } : {}), takerFeeRate: String(rates.taker), makerFeeRate: String(rates.maker) }));
    return ok({ list });
  };

  const guarded =
    (handler: (req: ParsedRequest) => Reply) =>
    (req: ParsedRequest): Reply => {
      try {
        return handler(req);
      } catch (e) {
        if (e instanceof BybitError) return fail(e.retCode, e.retMsg);
        throw e;
      }
    };

  const table: Route[] = [
    { method: 'GET', path: '/v5/market/time', signed: false, handle: time },
    { method: 'GET', path: '/v5/market/instruments-info', signed: false, handle: instruments },
    { method: 'GET', path: '/v5/market/tickers', signed: false, handle: tickers },
    { method: 'GET', path: '/v5/market/kline', signed: false, handle: kline },
    { method: 'GET', path: '/v5/asset/coin/query-info', signed: true, handle: coinInfo },
    { method: 'GET', path: '/v5/user/query-api', signed: true, handle: queryApi },
    { method: 'GET', path: '/v5/account/info', signed: true, handle: accountInfo },
    { method: 'GET', path: '/v5/account/wallet-balance', signed: true, handle: walletBalance },
    { method: 'GET', path: '/v5/position/list', signed: true, handle: positionList },
    { method: 'POST', path: '/v5/position/switch-mode', signed: true, handle: switchMode },
    { method: 'POST', path: '/v5/position/set-leverage', signed: true, handle: setLeverage },
    { method: 'POST', path: '/v5/position/trading-stop', signed: true, handle: tradingStop },
    { method: 'POST', path: '/v5/order/create', signed: true, placesOrder: true, handle: createOrder },
    { method: 'POST', path: '/v5/order/cancel', signed: true, handle: cancelOrder },
    { method: 'POST', path: '/v5/order/cancel-all', signed: true, handle: cancelAll },
    { method: 'GET', path: '/v5/order/realtime', signed: true, handle: openOrders },
    { method: 'GET', path: '/v5/order/history', signed: true, handle: orderHistory },
    { method: 'GET', path: '/v5/execution/list', signed: true, handle: executions },
    { method: 'GET', path: '/v5/account/fee-rate', signed: true, handle: feeRate },
  ];

  return {
    routes: table.map((r) => ({ ...r, handle: guarded(r.handle) })),
    authenticate: (req) => {
      const now = state.now();
      const failure = checkBybit(req, creds, now);
      return failure === undefined ? undefined : authFailureReply(now, failure);
    },
    refusal: (kind: InjectedRefusal, req) => {
      switch (kind) {
        case 'insufficient_funds':
          return param(req.params, 'category') === 'spot'
            ? fail(170131, 'Insufficient balance.')
            : fail(110007, 'ab not enough for new order');
        case 'rate_limit':
          return fail(10006, 'Too many visits. Exceeded the API Rate Limit.');
        case 'auth':
          return fail(10003, 'API key is invalid.');
        case 'status_unknown':
          return fail(10016, 'Internal system error.');
      }
    },
    notFound: () => textReply(404, '<html><body>404 Not Found</body></html>'),
  };
}
