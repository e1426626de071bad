import { Agent as HttpAgent, type IncomingHttpHeaders, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
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

/** Kept-alive sockets idle this long are closed (sooner where the server's Keep-Alive hint says so), as undici's pool does. */
const IDLE_SOCKET_MS = 60_000;

/** Decoders for what the answer may be compressed with, as ccxt's own transport accepts (it asks for all three). */
const DECODERS: Readonly<Record<string, () => Transform>> = {
  gzip: () => createGunzip(),
  'x-gzip': () => createGunzip(),
  deflate: () => createInflate(),
  br: () => createBrotliDecompress(),
};

/**
 * Every account's REST transport, for ccxt's `fetchImplementation`: ccxt's request as ccxt built it
 * (method, headers, body, abort signal), to the exchange's own URL, or with a base URL to that base,
 * keeping the exchange's path and query. One transport for real exchanges and local fakes alike, so
 * what the benchmark measures is what users run. Why not ccxt's own (undici.request):
 * - ccxt's timeout ends when the headers arrive, and undici's own body timeout is five minutes: a body
 *   that stalls after the headers would hold the order, and its symbol's queue, that long. Here a body
 *   from which nothing arrives for ccxt's timeout fails;
 * - the scheduler counts a request's window from when its answer arrived (answer-arrival.ts), which
 *   only the transport sees;
 * - node:http with kept-alive sockets cost a third less CPU per order than fetch at high rates (the
 *   benchmark, docs/benchmark.json; ccxt's undici.request path was not measured against it).
 * As ccxt's own: answers may come compressed (gzip, deflate, br) and are inflated; a redirect is
 * refused as a failed request, not followed; idle sockets are closed after a while.
 */
export function exchangeFetch(base: string | null, timeoutMs: number): CcxtFetch {
  const root = base === null ? null : new URL(base.replace(/\/+$/, '') + '/');
  const prefix = root?.pathname.replace(/\/$/, '') ?? '';
  const agents = { 'http:': new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS }), 'https:': new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS }) };
  return (url, init) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const { protocol, hostname, port } = root ?? target;
      if (protocol !== 'http:' && protocol !== 'https:') throw new Error(`exchange requests go over http or https, not ${protocol}`);
      const arrival = answerArrivalHere();
      const send = protocol === 'https:' ? httpsRequest : httpRequest;
      const headers = withAcceptEncoding(init.headers);
      const call = send(
        { protocol, hostname, port, path: prefix + target.pathname + target.search, method: init.method ?? 'GET', headers, agent: agents[protocol], signal: init.signal },
        (response) => {
          const status = response.statusCode ?? 0;
          if (arrival && arrival.at === undefined) {
            arrival.at = performance.now();
            arrival.status = status;
            arrival.headers = response.headers;
          }
          if (status >= 300 && status < 400 && response.headers.location !== undefined) {
            response.resume();
            // ccxt takes a TypeError for a failed fetch and reports its cause (NetworkError), as for its own transport's refusal
            reject(new TypeError('fetch failed', { cause: new Error(`the exchange answered ${status}, a redirect, which is not followed`) }));
            return;
          }
          resolve({ status, statusText: response.statusMessage ?? '', headers: response.headers, text: textOf(response, timeoutMs) });
        },
      );
      call.on('error', reject);
      call.end(init.body);
    });
}

function withAcceptEncoding(headers: Record<string, string> | undefined): Record<string, string> {
  const given = headers ?? {};
  return Object.keys(given).some((name) => name.toLowerCase() === 'accept-encoding') ? given : { ...given, 'Accept-Encoding': 'gzip, deflate, br' };
}

/** The answer's body, inflated; it fails once nothing of it arrived for `idleMs`. Read at once, so that the socket is freed whether or not ccxt asks for it. */
function textOf(response: IncomingMessage, idleMs: number): () => Promise<string> {
  const encoding = String(response.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder = DECODERS[encoding]?.();
  const body = new Promise<string>((done, fail) => {
    const chunks: Buffer[] = [];
    let stalled: NodeJS.Timeout;
    const idle = () => {
      clearTimeout(stalled);
      stalled = setTimeout(() => response.destroy(new Error(`nothing more of the answer's body arrived within ${idleMs} ms`)), idleMs);
    };
    idle();
    response.on('data', idle);
    response.on('error', fail);
    const readable = decoder ? response.pipe(decoder) : response;
    if (decoder) decoder.on('error', (error) => response.destroy(error));
    readable.on('data', (chunk: Buffer) => chunks.push(chunk));
    readable.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    // ended, failed or destroyed: nothing more can arrive
    response.once('close', () => clearTimeout(stalled));
  });
  body.catch(() => undefined);
  return () => body;
}
