import { Agent as HttpAgent, type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { answerArrivalHere } from '../scheduling/answer-arrival.js';

interface CcxtFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** What ccxt reads of an answer from a fetchImplementation (handleRestResponse, getResponseHeaders). */
interface CcxtAnswer {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  text(): Promise<string>;
}

export type CcxtFetch = (url: string, init: CcxtFetchInit) => Promise<CcxtAnswer>;

/**
 * Every account's REST transport, for ccxt's `fetchImplementation`: ccxt's request as ccxt built it
 * (method, headers, body, abort signal), to the exchange's own URL, or with a base URL to that base,
 * keeping the exchange's path and query. One transport for real exchanges and local fakes alike, so
 * what the benchmark measures is what users run. Why not ccxt's own (undici):
 * - node:http with kept-alive sockets: a third of the CPU per order at high rates went into fetch's
 *   streams and headers (the benchmark, docs/benchmark.json);
 * - ccxt's timeout ends when the headers arrive, and undici's own body timeout is five minutes: a
 *   body that stalls after the headers would hold the order, and its symbol's queue, that long. The
 *   whole answer gets ccxt's timeout again here;
 * - the scheduler counts a request's window from when its answer arrived (answer-arrival.ts), which
 *   only the transport sees.
 * A redirect is refused as a failed request, not followed, as ccxt's own transport does.
 */
export function exchangeFetch(base: string | null, timeoutMs: number): CcxtFetch {
  const root = base === null ? null : new URL(base.replace(/\/+$/, '') + '/');
  const prefix = root?.pathname.replace(/\/$/, '') ?? '';
  const agents = { 'http:': new HttpAgent({ keepAlive: true }), 'https:': new HttpsAgent({ keepAlive: true }) };
  return (url, init) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const { protocol, hostname, port } = root ?? target;
      if (protocol !== 'http:' && protocol !== 'https:') throw new Error(`exchange requests go over http or https, not ${protocol}`);
      const arrival = answerArrivalHere();
      const send = protocol === 'https:' ? httpsRequest : httpRequest;
      const call = send(
        { protocol, hostname, port, path: prefix + target.pathname + target.search, method: init.method ?? 'GET', headers: init.headers, agent: agents[protocol], signal: init.signal },
        (response) => {
          if (arrival && arrival.at === undefined) arrival.at = performance.now();
          const status = response.statusCode ?? 0;
          if (status >= 300 && status < 400 && response.headers.location !== undefined) {
            response.resume();
            // a TypeError is what ccxt takes for a failed fetch (NetworkError), as its own transport refuses redirects
            reject(new TypeError(`the exchange answered ${status} to another address, which is not followed`));
            return;
          }
          const stalled = setTimeout(() => response.destroy(new Error(`the answer's body did not arrive within ${timeoutMs} ms`)), timeoutMs);
          const chunks: Buffer[] = [];
          const body = new Promise<string>((done, fail) => {
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
            response.on('error', fail);
          }).finally(() => clearTimeout(stalled));
          body.catch(() => undefined);
          resolve({ status, statusText: response.statusMessage ?? '', headers: response.headers, text: () => body });
        },
      );
      call.on('error', reject);
      call.end(init.body);
    });
}
