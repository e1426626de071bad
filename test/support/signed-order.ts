import { createHmac } from 'node:crypto';

export function signatureFor(secret: string, timestamp: number, url: string): string {
  return createHmac('sha256', secret).update(`${timestamp}POST${url}`).digest('hex');
}

export interface OrderCall {
  status: number;
  headers: Headers;
  body: { ok: boolean; duplicate?: boolean; order?: { id: number; status: string; [key: string]: unknown }; error?: { code: string; message: string; field?: string } };
}

/** Posts an order signed as the spec's Python sample signs it. `signUrl` defaults to the URL posted to. */
export async function postSignedOrder(
  serverUrl: string,
  key: { apikey: string; secret: string },
  fields: Record<string, unknown>,
  options: { timestamp?: number; signUrl?: string; headers?: Record<string, string> } = {},
): Promise<OrderCall> {
  const url = `${serverUrl}/v1/order`;
  const timestamp = options.timestamp ?? Date.now();
  const sign = signatureFor(key.secret, timestamp, options.signUrl ?? url);
  return postOrder(url, { ...fields, apikey: key.apikey, timestamp, sign }, options.headers);
}

export async function postOrder(url: string, body: unknown, headers: Record<string, string> = {}): Promise<OrderCall> {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as OrderCall['body'] };
}

export const SPEC_EXAMPLE = {
  strategy: 'test_strategy',
  exchange: 'bybit_testnet',
  order_type: 'Market',
  qty: 1,
  side: 'Buy',
  symbol: 'BTCUSD',
  price: 10000,
  memo: 'memo',
};
