import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { signatureFor } from '../support/signed-order.js';
import type { RawRequest } from './raw-http.js';

/**
 * The malformed-request corpus (test/abuse/corpus/*.json): requests a real client could send, kept
 * as data. Each file is one category; each entry says how it differs from a valid signed order and
 * what the server must answer.
 *
 * A body is given in one of four ways:
 * - `set` / `raw` / `drop`: changes to the valid order's members, `set` with JSON values, `raw` with
 *   value text sent verbatim (NaN, 1e999, 0x10), `drop` removing members (credentials included);
 * - `body`: the whole body as text, with $ORDER (the valid order's members, credentials included,
 *   without braces), $APIKEY, $TVKEY, $TIMESTAMP and $SIGN filled in;
 * - `bodyParts`: text pieces and {hex} bytes, for bodies that are not valid UTF-8.
 * Anywhere in text, $REPEAT(x,n) stands for x repeated n times.
 */
export interface Expectation {
  status: number;
  code: string;
  /** The field the error must name; null: the error has no field. */
  field: string | null;
  /** A regular expression the message must match, besides naming the field. */
  message?: string;
  /** Response headers that must be present with these values. */
  headers?: Record<string, string>;
}

type KeyMode = 'signed' | 'tradingview' | 'none';

export interface CorpusEntry {
  name: string;
  method?: string;
  path?: string;
  /** Added to (or, with null, removed from) the default Content-Type: application/json. */
  headers?: Record<string, string | null>;
  /** Send no Host header at all. */
  noHost?: boolean;
  /** Whose credentials the order carries: the signing key (default), the TradingView key alone, or none. */
  key?: KeyMode;
  set?: Record<string, unknown>;
  raw?: Record<string, string>;
  drop?: string[];
  body?: string;
  bodyParts?: (string | { hex: string })[];
  /** Pads the body with trailing spaces (JSON whitespace) to exactly this many bytes. */
  padTo?: number;
  expect: Partial<Expectation>;
}

export interface CorpusCase extends Omit<CorpusEntry, 'expect'> {
  category: string;
  expect: Expectation;
}

interface CorpusFile {
  category: string;
  about: string;
  defaults?: { key?: KeyMode; headers?: Record<string, string | null>; expect?: Partial<Expectation> };
  entries: CorpusEntry[];
}

export const CORPUS_DIR = fileURLToPath(new URL('./corpus/', import.meta.url));

const ENTRY_KEYS = new Set(['name', 'method', 'path', 'headers', 'noHost', 'key', 'set', 'raw', 'drop', 'body', 'bodyParts', 'padTo', 'expect']);
const EXPECT_KEYS = new Set(['status', 'code', 'field', 'message', 'headers']);

/** Every case of every category, with the file's defaults applied. A typo in the data fails loudly. */
export function loadCorpus(dir = CORPUS_DIR): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json')).sort()) {
    const data = JSON.parse(readFileSync(`${dir}${file}`, 'utf8')) as CorpusFile;
    for (const entry of data.entries) {
      const where = `${file}: ${JSON.stringify(entry.name)}`;
      const unknown = Object.keys(entry).filter((key) => !ENTRY_KEYS.has(key));
      if (unknown.length > 0) throw new Error(`${where}: unknown properties ${unknown.join(', ')}`);
      const expect = { ...data.defaults?.expect, ...entry.expect };
      const unknownExpect = Object.keys(expect).filter((key) => !EXPECT_KEYS.has(key));
      if (unknownExpect.length > 0) throw new Error(`${where}: unknown expectations ${unknownExpect.join(', ')}`);
      if (typeof expect.status !== 'number' || typeof expect.code !== 'string' || expect.field === undefined) {
        throw new Error(`${where}: expect needs status, code and field (null for none)`);
      }
      if ([entry.body, entry.bodyParts, entry.set ?? entry.raw ?? entry.drop].filter((way) => way !== undefined).length > 1) {
        throw new Error(`${where}: give the body one way (body, bodyParts, or set/raw/drop)`);
      }
      const key = entry.key ?? data.defaults?.key;
      cases.push({
        ...entry,
        category: data.category,
        headers: { ...data.defaults?.headers, ...entry.headers },
        ...(key ? { key } : {}),
        expect: { ...expect, field: expect.field === null ? null : expandRepeats(expect.field) } as Expectation,
      });
    }
  }
  return cases;
}

export interface Credentials {
  orderUrl: string;
  key: { apikey: string; secret: string };
  tradingViewKey: { apikey: string };
}

let lastTimestamp = 0;
/** A fresh timestamp for every signature: two requests signed in the same millisecond would be a replay. */
function freshTimestamp(): number {
  lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
  return lastTimestamp;
}

function expandRepeats(text: string): string {
  return text.replace(/\$REPEAT\(([^,()]*),(\d+)\)/g, (_match, piece: string, times: string) => piece.repeat(Number(times)));
}

function expandValue(value: unknown): unknown {
  if (typeof value === 'string') return expandRepeats(value);
  if (Array.isArray(value)) return value.map(expandValue);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [expandRepeats(key), expandValue(item)]));
  return value;
}

/** The valid order's members as value text, in order, with the credentials of `mode`. */
function orderMembers(order: Record<string, unknown>, mode: KeyMode, credentials: Credentials, timestamp: number): Map<string, string> {
  const members = new Map(Object.entries(order).map(([key, value]) => [key, JSON.stringify(value)]));
  if (mode === 'signed') {
    members.set('apikey', JSON.stringify(credentials.key.apikey));
    members.set('timestamp', String(timestamp));
    members.set('sign', JSON.stringify(signatureFor(credentials.key.secret, timestamp, credentials.orderUrl)));
  } else if (mode === 'tradingview') {
    members.set('apikey', JSON.stringify(credentials.tradingViewKey.apikey));
  }
  return members;
}

function membersText(members: Map<string, string>): string {
  return [...members].map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',');
}

function bodyOf(entry: CorpusCase, order: Record<string, unknown>, credentials: Credentials): Buffer {
  const mode = entry.key ?? 'signed';
  const timestamp = freshTimestamp();
  const members = orderMembers(order, mode, credentials, timestamp);
  if (entry.bodyParts) {
    return Buffer.concat(entry.bodyParts.map((part) => (typeof part === 'string' ? Buffer.from(fill(part)) : Buffer.from(part.hex, 'hex'))));
  }
  if (entry.body !== undefined) return Buffer.from(fill(entry.body));

  for (const key of entry.drop ?? []) members.delete(key);
  for (const [key, value] of Object.entries(entry.set ?? {})) members.set(expandRepeats(key), JSON.stringify(expandValue(value)));
  for (const [key, text] of Object.entries(entry.raw ?? {})) members.set(expandRepeats(key), expandRepeats(text));
  // A changed timestamp is signed as sent, so the change itself is what the server judges.
  const changed = entry.set?.['timestamp'];
  if (mode === 'signed' && (typeof changed === 'number' || typeof changed === 'string') && entry.set?.['sign'] === undefined && !entry.drop?.includes('sign')) {
    members.set('sign', JSON.stringify(signatureFor(credentials.key.secret, changed as number, credentials.orderUrl)));
  }
  return Buffer.from(`{${membersText(members)}}`);

  function fill(text: string): string {
    return expandRepeats(text)
      .replaceAll('$ORDER', membersText(members))
      .replaceAll('$APIKEY', credentials.key.apikey)
      .replaceAll('$TVKEY', credentials.tradingViewKey.apikey)
      .replaceAll('$TIMESTAMP', String(timestamp))
      .replaceAll('$SIGN', signatureFor(credentials.key.secret, timestamp, credentials.orderUrl));
  }
}

/** The request a corpus case describes, ready for sendRaw. */
export function requestFor(entry: CorpusCase, order: Record<string, unknown>, credentials: Credentials): RawRequest {
  let body = bodyOf(entry, order, credentials);
  if (entry.padTo !== undefined) {
    if (body.length > entry.padTo) throw new Error(`${entry.name}: the body is already ${body.length} bytes, more than padTo ${entry.padTo}`);
    body = Buffer.concat([body, Buffer.alloc(entry.padTo - body.length, ' ')]);
  }
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  for (const [name, value] of Object.entries(entry.headers ?? {})) {
    const existing = Object.keys(headers).find((known) => known.toLowerCase() === name.toLowerCase());
    if (existing) delete headers[existing];
    if (value !== null) headers[name] = expandRepeats(value);
  }
  if (!Object.keys(headers).some((name) => ['content-length', 'transfer-encoding'].includes(name.toLowerCase()))) {
    headers['Content-Length'] = String(body.length);
  }
  return { method: entry.method ?? 'POST', path: entry.path ?? '/v1/order', headers, body, ...(entry.noHost ? { noHost: true } : {}) };
}
