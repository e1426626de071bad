import { Agent, request } from 'node:http';
import type { OrderResponse } from '../shared/api-response.js';
import { signOrderRequest } from '../main/engine/auth/signature.js';
import type { BenchOrder } from './order-mix.js';

export interface OrderAnswer {
  /** The HTTP status; 0 when no answer came (connection refused or reset). */
  status: number;
  body: OrderResponse | null;
  /** Why no answer came, when none did (e.g. ECONNRESET). */
  failure?: string;
  /** Epoch ms (sub-ms) when the signed request was handed to the socket: after the bot's own signing. */
  writtenAt: number;
}

/**
 * A bot posting signed orders as the spec says, over kept-alive connections (as a real client would).
 * The signature covers only `${timestamp}POST${url}` and each is accepted once, so two orders in
 * the same millisecond need two timestamps: this client never repeats one.
 */
export class SignedOrderClient {
  // An idle connection is dropped after 4 s, before the engine's 5 s keep-alive ends it: reusing one
  // the server is closing loses the request (ECONNRESET). Node applies the server's Keep-Alive hint
  // only when the agent has a timeout of its own.
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 256, timeout: 4_000 });
  readonly #url: URL;
  #lastTimestamp = 0;

  constructor(
    baseUrl: string,
    private readonly key: { apikey: string; secret: string },
  ) {
    this.#url = new URL('/v1/order', baseUrl);
  }

  place(order: BenchOrder): Promise<OrderAnswer> {
    return this.send({ strategy: order.strategy, exchange: 'bybit', order_type: 'Market', qty: order.qty, side: order.side, symbol: order.symbol });
  }

  /** Any order's fields, signed with a timestamp of its own. */
  send(fields: Record<string, unknown>): Promise<OrderAnswer> {
    const timestamp = (this.#lastTimestamp = Math.max(Date.now(), this.#lastTimestamp + 1));
    const body = JSON.stringify({ ...fields, apikey: this.key.apikey, timestamp, sign: signOrderRequest(this.key.secret, timestamp, this.#url.href) });
    let writtenAt = Number.NaN;
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
          resolve({ status: response.statusCode ?? 0, body: parsed, writtenAt });
        });
        response.on('error', (error: NodeJS.ErrnoException) => resolve({ status: 0, body: null, failure: error.code ?? error.message, writtenAt }));
      });
      call.on('error', (error: NodeJS.ErrnoException) => resolve({ status: 0, body: null, failure: error.code ?? error.message, writtenAt }));
      writtenAt = performance.timeOrigin + performance.now();
      call.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
