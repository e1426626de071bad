import type { Exchange } from 'ccxt';

interface FutureMaker {
  future(messageHash: string): Promise<unknown>;
}

const handled = new WeakSet<object>();

/**
 * ccxt 4.5.84 creates some websocket futures for its own bookkeeping that nothing awaits, and rejects
 * them when a subscription fails (Binance spot's subscribe "flight" when the WebSocket API refuses the
 * signature or the socket cannot connect). An unhandled rejection ends a Node process, so every future
 * of the instance's sockets gets a no-op handler; whoever awaits one still sees its rejection.
 */
export function handleSocketFutures(exchange: Exchange): void {
  const open = exchange.client.bind(exchange);
  exchange.client = (url: string) => {
    const client = open(url);
    const maker = client as unknown as FutureMaker;
    if (!handled.has(maker)) {
      handled.add(maker);
      const future = maker.future.bind(maker);
      maker.future = (messageHash) => {
        const promise = future(messageHash);
        promise.catch(() => undefined);
        return promise;
      };
    }
    return client;
  };
}
