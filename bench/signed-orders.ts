import { Agent, request } from 'node:http';
import type { OrderResponse } from '../shared/api-response.js';
import { signOrderRequest } from '../main/engine/auth/signature.js';
import type { BenchOrder } from './order-mix.js';

export interface OrderAnswer {
  /** The HTTP status; 0 when no answer came (connection refused or reset). */
  status: number;
  body: OrderResponse | null;
}

/**
 * A bot posting signed orders as the spec says, over kept-alive connections (as a real client would).
 * The signature covers only `${timestamp}POST${url}` and each is accepted once, so two orders in
 * the same millisecond need two timestamps: this client never repeats one.
 */
export class SignedOrderClient {
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 256 });
  readonly #url: URL;
  #lastTimestamp = 0;

  constructor(
    baseUrl: string,
    private readonly key: { apikey: string; secret: string },
  ) {
    this.#url = new URL('/v1/order', baseUrl);
  }

  place(order: BenchOrder): Promise<OrderAnswer> {
    const timestamp = (this.#lastTimestamp = Math.max(Date.now(), this.#lastTimestamp + 1));
    const body = JSON.stringify({
      strategy: order.strategy,
      exchange: 'bybit',
      order_type: 'Market',
      qty: order.qty,
      side: order.side,
      symbol: order.symbol,
      apikey: this.key.apikey,
      timestamp,
      sign: signOrderRequest(this.key.secret, timestamp, this.#url.href),
    });
    return new Promise((resolve) => {
      const call = request(this.#url, { method: 'POST', agent: this.#agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          let parsed: OrderResponse | null = null;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OrderResponse;
          } catch {
            // not JSON: counted by its status alone
          }
          resolve({ status: response.statusCode ?? 0, body: parsed });
        });
        response.on('error', () => resolve({ status: 0, body: null }));
      });
      call.on('error', () => resolve({ status: 0, body: null }));
      call.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
