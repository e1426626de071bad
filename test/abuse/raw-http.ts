import { type IncomingHttpHeaders, request } from 'node:http';

export interface RawRequest {
  method: string;
  path: string;
  /** Sent exactly as given; no Host header at all when it has none and `noHost` is set. */
  headers: Record<string, string>;
  body: Buffer;
  noHost?: boolean;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/**
 * One request on its own connection, bytes as given: what fetch() would refuse or tidy up (a foreign
 * Host, no Host, odd methods, invalid UTF-8, a body that contradicts its headers) goes out unchanged.
 */
export function sendRaw(baseUrl: string, raw: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      // A Host given here goes out as given: Node's client would replace an empty one with its own.
      { host: url.hostname, port: url.port, method: raw.method, path: raw.path, headers: raw.headers, agent: false, setHost: !raw.noHost && !Object.keys(raw.headers).some((name) => name.toLowerCase() === 'host') },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? (JSON.parse(text) as unknown) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(raw.body);
  });
}
