// Bybit take-profit and stop-loss held on the position, proven with real ccxt: attached to a create
// (ccxt's stopLoss / takeProfit params), set on an open position with /v5/position/trading-stop
// (ccxt's stopLossPrice + takeProfitPrice), and triggered by setPrice into a market close.

import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { BadRequest } from '../../node_modules/ccxt/js/src/base/errors.js';
import { API_KEY, bybitClient, idOf, SECRET } from './ccxt-client.js';
import { startFakeExchange, type FakeExchange } from './index.js';
import { until, within } from './test-helpers.js';

const PERP = 'BTC/USDT:USDT';
const UNIFIED = { options: { enableUnifiedAccount: true, enableUnifiedMargin: false } };

let fake: FakeExchange;
let ex: ReturnType<typeof bybitClient>;

beforeEach(async () => {
  fake = await startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET });
  fake.setBalance('USDT', 10_000);
  ex = bybitClient(fake, UNIFIED);
  await ex.loadMarkets();
});

afterEach(async () => {
  await ex.close();
  await fake.close();
});

describe('attached to the create', () => {
  test('an opening order hands its take-profit and stop-loss to the position', async () => {
    const placed = await ex.createOrder(PERP, 'market', 'buy', 0.1, undefined, { stopLoss: { triggerPrice: 55_000 }, takeProfit: { triggerPrice: 66_000 } });
    expect(fake.requests('/v5/order/create')[0]?.params).toMatchObject({ stopLoss: '55000', takeProfit: '66000' });
    const [position] = await ex.fetchPositions([PERP]);
    expect(position).toMatchObject({ side: 'long', contracts: 0.1, stopLossPrice: 55_000, takeProfitPrice: 66_000 });
    expect(await ex.fetchClosedOrder(idOf(placed), PERP)).toMatchObject({ stopLossPrice: 55_000, takeProfitPrice: 66_000 });
  });

  test('the stop triggers at setPrice: a market close for the whole position, the loss realised', async () => {
    await ex.createOrder(PERP, 'market', 'buy', 0.1, undefined, { stopLoss: 55_000, takeProfit: 66_000 });
    fake.setPrice('BTCUSDT', 56_000, 'linear');
    expect(fake.positions()).toHaveLength(1);
    fake.setPrice('BTCUSDT', 54_500, 'linear');
    expect(fake.positions()).toEqual([]);
    const close = fake.createdOrders().at(-1);
    expect(close).toMatchObject({ side: 'sell', type: 'market', qty: 0.1, reduceOnly: true, closeOnTrigger: true, status: 'filled', avgPrice: 54_500 });
    // 0.1 × (54 500 - 60 000)
    expect(fake.getBalance('USDT')).toBe(9_450);
    const [row] = (await ex.fetchClosedOrders(PERP)).filter((o) => o.id === close?.orderId);
    expect(row?.info).toMatchObject({ createType: 'CreateByStopLoss', stopOrderType: 'StopLoss', reduceOnly: true });
    // once closed, nothing is left to trigger
    fake.setPrice('BTCUSDT', 70_000, 'linear');
    expect(fake.createdOrders()).toHaveLength(2);
  });

  test('a short take-profit triggers below; the push tells of the close', async () => {
    await ex.createOrder(PERP, 'market', 'sell', 0.05, undefined, { takeProfit: 58_000 });
    const streamed = bybitClient(fake, { options: { ...UNIFIED.options, watchPositions: { fetchPositionsSnapshot: false } } });
    const watching = streamed.watchPositions();
    await until(() => fake.websocketStats().channels.includes('position'));
    fake.setPrice('BTCUSDT', 57_900, 'linear');
    const [flat] = await within(watching);
    expect(flat).toMatchObject({ symbol: PERP, contracts: 0 });
    expect(fake.createdOrders().at(-1)).toMatchObject({ side: 'buy', qty: 0.05, status: 'filled' });
    expect(fake.getBalance('USDT')).toBe(10_105);
    await streamed.close();
  });

  test('a resting limit hands them over when it fills', async () => {
    await ex.createOrder(PERP, 'limit', 'buy', 0.1, 58_000, { stopLoss: 57_000, takeProfit: 65_000 });
    expect(await ex.fetchPositions([PERP])).toMatchObject([{ contracts: 0 }]);
    fake.setPrice('BTCUSDT', 57_500, 'linear');
    expect(await ex.fetchPositions([PERP])).toMatchObject([{ contracts: 0.1, entryPrice: 58_000, stopLossPrice: 57_000, takeProfitPrice: 65_000 }]);
    fake.setPrice('BTCUSDT', 56_900, 'linear');
    expect(fake.positions()).toEqual([]);
  });

  test('a stop on the wrong side of the price is refused (10001, BadRequest) and places nothing', async () => {
    await expect(ex.createOrder(PERP, 'market', 'buy', 0.1, undefined, { stopLoss: 61_000 })).rejects.toBeInstanceOf(BadRequest);
    await expect(ex.createOrder(PERP, 'market', 'sell', 0.1, undefined, { takeProfit: 62_000 })).rejects.toThrow(/TakeProfit:62000 set for Sell position should be lower/);
    expect(fake.createdOrders()).toEqual([]);
  });
});

describe('/v5/position/trading-stop', () => {
  test("ccxt's stopLossPrice with takeProfitPrice sets both on the open position; a later one moves them", async () => {
    await ex.createOrder(PERP, 'market', 'buy', 0.1);
    await ex.createOrder(PERP, 'market', 'sell', 0, undefined, { stopLossPrice: 57_000, takeProfitPrice: 64_000 });
    expect(fake.requests('/v5/position/trading-stop')[0]?.params).toMatchObject({ category: 'linear', symbol: 'BTCUSDT', tpslMode: 'Full', stopLoss: '57000', takeProfit: '64000' });
    expect(await ex.fetchPositions([PERP])).toMatchObject([{ stopLossPrice: 57_000, takeProfitPrice: 64_000 }]);
    await ex.createOrder(PERP, 'market', 'sell', 0, undefined, { stopLossPrice: 59_000, takeProfitPrice: 64_000 });
    fake.setPrice('BTCUSDT', 58_500, 'linear');
    expect(fake.positions()).toEqual([]);
    expect(fake.getBalance('USDT')).toBe(9_850);
  });

  test('"0" removes one; a flat position or a stop on the wrong side is refused', async () => {
    await expect(ex.privatePostV5PositionTradingStop({ category: 'linear', symbol: 'BTCUSDT', positionIdx: 0, stopLoss: '55000' })).rejects.toThrow(/zero position/);
    await ex.createOrder(PERP, 'market', 'buy', 0.1, undefined, { stopLoss: 55_000, takeProfit: 70_000 });
    await ex.privatePostV5PositionTradingStop({ category: 'linear', symbol: 'BTCUSDT', positionIdx: 0, stopLoss: '0' });
    const [position] = await ex.fetchPositions([PERP]);
    expect(position?.info).toMatchObject({ stopLoss: '0', takeProfit: '70000.00' });
    expect(position?.takeProfitPrice).toBe(70_000);
    await expect(ex.privatePostV5PositionTradingStop({ category: 'linear', symbol: 'BTCUSDT', positionIdx: 0, stopLoss: '61000' })).rejects.toBeInstanceOf(BadRequest);
    fake.setPrice('BTCUSDT', 40_000, 'linear');
    expect(fake.positions()).toHaveLength(1);
  });
});
