// The contract between the HTTP server and a venue's routes, plus small parameter readers.

import type { IncomingHttpHeaders } from 'node:http';

export interface ParsedRequest {
  method: string;
  path: string;
  /** Query string exactly as sent, without '?'. Signatures are computed over raw text. */
  rawQuery: string;
  rawBody: string;
  headers: IncomingHttpHeaders;
  /** Query and body parameters merged (JSON bodies keep their value types). */
  params: Record<string, unknown>;
}

export interface Reply {
  status: number;
  contentType: string;
  body: string;
  /** Extra response headers (the rate limiters' counts). */
  headers?: Record<string, string>;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  signed: boolean;
  /** Order placements are what insufficient_funds and timeout_after_accept failures match. */
  placesOrder?: boolean;
  handle(req: ParsedRequest): Reply;
}

export type InjectedRefusal = 'insufficient_funds' | 'rate_limit' | 'auth' | 'status_unknown';

export interface VenueProtocol {
  routes: Route[];
  /** undefined when the request is signed correctly and in time; the refusal otherwise. */
  authenticate(req: ParsedRequest): Reply | undefined;
  /** How this venue refuses a request for a reason a test injected. */
  refusal(kind: InjectedRefusal, req: ParsedRequest): Reply;
  notFound(req: ParsedRequest): Reply;
}

export function jsonReply(status: number, value: unknown): Reply {
  return { status, contentType: 'application/json', body: JSON.stringify(value) };
}

export function textReply(status: number, body: string): Reply {
  return { status, contentType: 'text/html', body };
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** A parameter as a string: numbers and booleans from JSON bodies are stringified. */
export function param(params: Record<string, unknown>, key: string): string | undefined {
  const value = params[key];
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** true / 'true' / 1 / '1' are true; anything else false. */
export function flag(params: Record<string, unknown>, key: string): boolean {
  const value = params[key];
  return value === true || value === 'true' || value === 1 || value === '1';
}
