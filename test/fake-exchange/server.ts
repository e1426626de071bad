// The HTTP side: node:http on 127.0.0.1, request parsing, failure injection, and the order in
// which the real exchanges refuse things (rate limiter, then authentication, then the handler).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { FailurePlan } from './failures.js';
import { headerValue, textReply, type ParsedRequest, type Reply, type VenueProtocol } from './protocol.js';
import type { LimitDecision, RequestLimiter } from './rate-limits.js';
import type { RecordedRequest } from './types.js';

export interface HttpServer {
  url: string;
  /** The node server, for the websocket side to take its upgrades. */
  server: Server;
  failures: FailurePlan;
  requestCount(path?: string): number;
  requests(path?: string): RecordedRequest[];
  /** Requests the rate limiter refused. */
  rateLimitRefusals(): number;
  close(): Promise<void>;
}

export interface HttpServerOptions {
  port?: number;
  /** The exchange's published limits, enforced; absent: no limits (failNext('rate_limit') still works). */
  limiter?: RequestLimiter;
  /** Each answer leaves this long after its request arrived (the books change at arrival). Default 0. */
  roundTripMs?: number;
}

/** Epoch milliseconds with sub-millisecond precision. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseParams(rawQuery: string, rawBody: string, contentType: string | undefined): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(rawQuery)) params[key] = value;
  if (rawBody === '') return params;
  if (contentType?.includes('application/json') === true) {
    try {
      const parsed: unknown = JSON.parse(rawBody);
      if (isRecord(parsed)) Object.assign(params, parsed);
    } catch {
      // an unparsable body leaves the parameters empty; the handler reports what is missing
    }
  } else {
    for (const [key, value] of new URLSearchParams(rawBody)) params[key] = value;
  }
  return params;
}

function withHeaders(reply: Reply, headers: Record<string, string>): Reply {
  return { ...reply, headers: { ...reply.headers, ...headers } };
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(reply.status, { ...reply.headers, 'content-type': reply.contentType, 'content-length': Buffer.byteLength(reply.body) });
  res.end(reply.body);
}

export async function startHttpServer(protocol: VenueProtocol, opts: HttpServerOptions = {}): Promise<HttpServer> {
  const { port = 0, limiter, roundTripMs = 0 } = opts;
  let rateLimitRefusals = 0;
  const failures = new FailurePlan();
  const counts = new Map<string, number>();
  const log: RecordedRequest[] = [];
  let total = 0;
  const held = new Set<NodeJS.Timeout>();

  /** `reply` is computed when the answer goes out: a held-before-accept order runs only if its client is still there. */
  const dispatch = (req: ParsedRequest): { reply: () => Reply; holdMs?: number } => {
    const limits: Record<string, string> = {};
    const outcome = decide(req, limits);
    const reply = typeof outcome.reply === 'function' ? outcome.reply : () => outcome.reply as Reply;
    if (Object.keys(limits).length === 0) return { reply, holdMs: outcome.holdMs };
    return { reply: () => withHeaders(reply(), limits), holdMs: outcome.holdMs };
  };

  /** A limiter's verdict: its headers are kept for the answer; its refusal, if any, is the answer. */
  const refusal = (decision: LimitDecision | undefined, headers: Record<string, string>): Reply | undefined => {
    Object.assign(headers, decision?.headers);
    if (decision?.refusal !== undefined) rateLimitRefusals += 1;
    return decision?.refusal;
  };

  const decide = (req: ParsedRequest, limits: Record<string, string>): { reply: Reply | (() => Reply); holdMs?: number } => {
    const route = protocol.routes.find((r) => r.method === req.method && r.path === req.path);
    const overIpLimit = refusal(limiter?.beforeAuth(req, route), limits);
    if (overIpLimit !== undefined) return { reply: overIpLimit };
    if (route === undefined) return { reply: protocol.notFound(req) };
    const facts = { method: req.method, path: req.path, signed: route.signed, placesOrder: route.placesOrder === true };
    const early = failures.take(['server_error', 'rate_limit'], facts);
    if (early?.kind === 'server_error') return { reply: textReply(503, '<html><body>503 Service Unavailable</body></html>') };
    if (early?.kind === 'rate_limit') return { reply: protocol.refusal('rate_limit', req) };
    if (route.signed) {
      const refused = protocol.authenticate(req);
      if (refused !== undefined) return { reply: refused };
      if (failures.take(['auth'], facts) !== undefined) return { reply: protocol.refusal('auth', req) };
      const overAccountLimit = refusal(limiter?.afterAuth(req, route), limits);
      if (overAccountLimit !== undefined) return { reply: overAccountLimit };
    }
    const orderFailure = failures.take(['insufficient_funds', 'timeout_after_accept', 'unknown_after_accept', 'hold_before_accept'], facts);
    if (orderFailure?.kind === 'insufficient_funds') return { reply: protocol.refusal('insufficient_funds', req) };
    // the order has not reached the books yet: a client that dies meanwhile never placed it
    if (orderFailure?.kind === 'hold_before_accept') return { reply: () => route.handle(req), holdMs: orderFailure.delayMs };
    const reply = route.handle(req);
    // the order is in the books, but the exchange's own answer says it cannot tell
    if (orderFailure?.kind === 'unknown_after_accept') return { reply: protocol.refusal('status_unknown', req) };
    // the order is in the books; only the answer is late, as when a response is lost in transit
    if (orderFailure?.kind === 'timeout_after_accept') return { reply, holdMs: orderFailure.delayMs };
    return { reply };
  };

  const server = createServer((req, res) => {
    const at = preciseNow();
    /** Runs `fn` after `ms` unless the client has gone by then. */
    const later = (ms: number, fn: () => void): void => {
      const timer = setTimeout(() => {
        held.delete(timer);
        if (res.destroyed || res.writableEnded) return;
        fn();
      }, ms);
      held.add(timer);
      res.on('close', () => {
        clearTimeout(timer);
        held.delete(timer);
      });
    };
    /** The answer leaves a round trip after the request came in (at once without one). */
    const answer = (reply: Reply): void => {
      const wait = at + roundTripMs - preciseNow();
      if (roundTripMs === 0 || wait <= 0) send(res, reply);
      else later(wait, () => send(res, reply));
    };
    void (async () => {
      const rawUrl = req.url ?? '/';
      const queryAt = rawUrl.indexOf('?');
      const path = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
      const rawQuery = queryAt < 0 ? '' : rawUrl.slice(queryAt + 1);
      total += 1;
      counts.set(path, (counts.get(path) ?? 0) + 1);
      let rawBody: string;
      try {
        rawBody = await readBody(req);
      } catch {
        res.destroy(); // the client went away mid-request
        return;
      }
      const parsed: ParsedRequest = {
        method: req.method ?? 'GET',
        path,
        rawQuery,
        rawBody,
        headers: req.headers,
        params: parseParams(rawQuery, rawBody, headerValue(req.headers, 'content-type')),
      };
      const apiKey = headerValue(req.headers, 'x-bapi-api-key') ?? headerValue(req.headers, 'x-mbx-apikey') ?? null;
      log.push({ method: parsed.method, path, params: { ...parsed.params }, at, apiKey });
      let outcome: { reply: () => Reply; holdMs?: number };
      try {
        outcome = dispatch(parsed);
      } catch (e) {
        // a bug in the fake: say so loudly rather than look like an exchange outage
        const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
        console.error(`fake exchange bug on ${parsed.method} ${parsed.path}: ${message}`);
        const bug = textReply(500, `fake exchange bug: ${message}`);
        outcome = { reply: () => bug };
      }
      if (outcome.holdMs === undefined) {
        answer(outcome.reply());
        return;
      }
      // a held request: its answer (and a held-before-accept order) comes after the hold, then the round trip
      const { reply, holdMs } = outcome;
      later(holdMs, () => {
        const computed = reply();
        if (roundTripMs === 0) send(res, computed);
        else later(roundTripMs, () => send(res, computed));
      });
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake exchange is not listening on TCP');

  return {
    url: `http://127.0.0.1:${address.port}`,
    server,
    failures,
    requestCount: (path) => (path === undefined ? total : (counts.get(path) ?? 0)),
    requests: (path) => log.filter((r) => path === undefined || r.path === path),
    rateLimitRefusals: () => rateLimitRefusals,
    close: async () => {
      for (const timer of held) clearTimeout(timer);
      held.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
