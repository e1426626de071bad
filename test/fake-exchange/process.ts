// The fake exchange in a process of its own, steered over the IPC channel of `fork`, so that a
// benchmark can measure the engine without the fake's work landing on the engine's CPU.
// Messages: bench/fake-exchange-messages.ts. The process ends when its parent goes away.

import type { FromFake, ToFake } from '../../bench/fake-exchange-messages.js';
import { startFakeExchange } from './fake-exchange.js';
import type { FakeExchange } from './types.js';

function send(message: FromFake): void {
  process.send?.(message);
}

let fake: FakeExchange | null = null;

process.on('message', (message: ToFake) => {
  void (async () => {
    if (message.type === 'start' && fake === null) {
      fake = await startFakeExchange({ venue: message.venue, apiKey: message.apiKey, secret: message.secret });
      for (const [coin, amount] of Object.entries(message.balances)) fake.setBalance(coin, amount);
      send({ type: 'ready', url: fake.url });
    } else if (message.type === 'report' && fake !== null) {
      send({
        type: 'report',
        pathRequests: fake.requestCount(message.path),
        requests: fake.requestCount(),
        clientOrderIds: fake.createdOrders().map((order) => order.clientOrderId),
        // Bybit's orderLinkId, Binance's newClientOrderId
        requestedClientOrderIds: fake.requests(message.path).map((request) => String(request.params['orderLinkId'] ?? request.params['newClientOrderId'] ?? '')),
      });
    }
  })();
});

process.on('disconnect', () => {
  void (fake?.close() ?? Promise.resolve()).finally(() => process.exit(0));
});
