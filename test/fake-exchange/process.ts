// The fake exchange in a process of its own, steered over the IPC channel of `fork`, so that a
// benchmark can measure the engine without the fake's work landing on the engine's CPU.
// Messages: bench/fake-exchange-messages.ts, plus the start options below that its `start` may
// carry. The process ends when its parent goes away.

import type { FakeReport, FromFake, StartFake, ToFake } from '../../bench/fake-exchange-messages.js';
import { startFakeExchange } from './fake-exchange.js';
import type { FakeExchange, StartOptions } from './types.js';

/** What a `start` message may add to the bench's: every option of startFakeExchange but the credentials. */
export type ProcessStartOptions = Pick<StartOptions, 'port' | 'rateLimits' | 'roundTripMs' | 'extraMarkets' | 'clockOffsetMs' | 'fees'>;

export type ProcessStart = StartFake & ProcessStartOptions;

/** The report, with how many requests the published rate limits refused. */
export type ProcessReport = FakeReport & { rateLimitRefusals: number };

function send(message: FromFake): void {
  process.send?.(message);
}

let fake: FakeExchange | null = null;

process.on('message', (message: ToFake | ProcessStart) => {
  void (async () => {
    if (message.type === 'start' && fake === null) {
      const { venue, apiKey, secret, balances, port, rateLimits, roundTripMs, extraMarkets, clockOffsetMs, fees } = message as ProcessStart;
      fake = await startFakeExchange({ venue, apiKey, secret, port, rateLimits, roundTripMs, extraMarkets, clockOffsetMs, fees });
      for (const [coin, amount] of Object.entries(balances)) fake.setBalance(coin, amount);
      send({ type: 'ready', url: fake.url });
    } else if (message.type === 'report' && fake !== null) {
      const report: ProcessReport = {
        type: 'report',
        pathRequests: fake.requestCount(message.path),
        requests: fake.requestCount(),
        clientOrderIds: fake.createdOrders().map((order) => order.clientOrderId),
        // Bybit's orderLinkId, Binance's newClientOrderId
        requestedClientOrderIds: fake.requests(message.path).map((request) => String(request.params['orderLinkId'] ?? request.params['newClientOrderId'] ?? '')),
        rateLimitRefusals: fake.rateLimitRefusals(),
      };
      send(report);
    } else if (message.type === 'requests' && fake !== null) {
      const requests = fake.requests().slice(message.since).map((request) => {
        const clientOrderId = request.params['orderLinkId'] ?? request.params['newClientOrderId'];
        return { method: request.method, path: request.path, at: request.at, clientOrderId: typeof clientOrderId === 'string' ? clientOrderId : null };
      });
      send({ type: 'requests', requests });
    }
  })();
});

process.on('disconnect', () => {
  void (fake?.close() ?? Promise.resolve()).finally(() => process.exit(0));
});
