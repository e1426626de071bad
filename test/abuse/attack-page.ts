import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A hostile page on another local origin (http://127.0.0.1:<its own port>), as any site open in the
 * user's browser could be. It knows the engine's URL and the order format, but no API key and no
 * session token, and tries every way a page can send a request without CORS permission.
 */
export function attackScript(engineUrl: string): string {
  return `
    const engine = ${JSON.stringify(engineUrl)};
    const results = {};
    const order = { strategy: 'live', exchange: 'bybit', order_type: 'Market', qty: 0.01, side: 'Buy', symbol: 'BTCUSDT', apikey: 'ak_guessed_key' };
    const json = JSON.stringify(order);
    const manualOrder = JSON.stringify({ strategy: 'live', exchange: 'bybit', order_type: 'Market', qty: 0.01, side: 'Buy', symbol: 'BTCUSDT' });

    async function attempt(name, run) {
      try {
        const response = await run();
        results[name] = response.type === 'opaque' ? 'opaque' : 'read ' + response.status;
      } catch (error) {
        results[name] = 'failed: ' + error.message;
      }
    }

    // A form posted into a hidden frame: the classic cross-site request, no JavaScript needed.
    function submitForm(name, path, enctype, fields) {
      return new Promise((resolve) => {
        const frame = document.createElement('iframe');
        frame.name = name;
        document.body.appendChild(frame);
        const form = document.createElement('form');
        form.method = 'POST';
        form.action = engine + path;
        form.enctype = enctype;
        form.target = name;
        for (const [key, value] of Object.entries(fields)) {
          const input = document.createElement('input');
          input.type = 'hidden';
          input.name = key;
          input.value = value;
          form.appendChild(input);
        }
        document.body.appendChild(form);
        let settled = false;
        const finish = () => {
          if (settled) return;
          settled = true;
          results[name] = 'submitted';
          resolve();
        };
        frame.addEventListener('load', finish);
        setTimeout(finish, 4000);
        form.submit();
      });
    }

    (async () => {
      // POST /v1/order
      await submitForm('formUrlencoded', '/v1/order', 'application/x-www-form-urlencoded', order);
      await submitForm('formMultipart', '/v1/order', 'multipart/form-data', order);
      // enctype=text/plain writes name=value: a name ending in '"memo":"' and the value '"}' make valid JSON.
      await submitForm('formTextJson', '/v1/order', 'text/plain', { [json.slice(0, -1) + ',"memo":"']: '"}' });
      await attempt('noCorsTextJson', () => fetch(engine + '/v1/order', { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: json }));
      await attempt('noCorsClaimingJson', () => fetch(engine + '/v1/order', { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'application/json' }, body: json }));
      await attempt('corsJson', () => fetch(engine + '/v1/order', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: json }));
      results.beacon = navigator.sendBeacon(engine + '/v1/order', new Blob([json], { type: 'text/plain' })) ? 'queued' : 'refused';

      // /api/*, with whatever cookie the browser holds for 127.0.0.1
      await attempt('manualOrder', () => fetch(engine + '/api/orders', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body: manualOrder }));
      await attempt('pause', () => fetch(engine + '/api/pause', { method: 'POST', mode: 'no-cors', credentials: 'include', body: '{"paused":true}' }));
      await attempt('createKey', () => fetch(engine + '/api/keys', { method: 'POST', mode: 'no-cors', credentials: 'include', body: '{"label":"evil"}' }));
      await attempt('trustProxyHeaders', () => fetch(engine + '/api/settings', { method: 'PATCH', credentials: 'include', headers: { 'Content-Type': 'application/json' }, body: '{"trustProxyHeaders":true}' }));
      await attempt('redirectExchange', () => fetch(engine + '/api/exchanges/bybit', { method: 'PUT', credentials: 'include', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ apiKey: 'evil', secret: 'evil', baseUrl: location.origin }) }));
      await attempt('readStatus', () => fetch(engine + '/api/status', { credentials: 'include' }));
      await submitForm('formStrategy', '/api/strategies', 'text/plain', { ['{"name":"evil","mode":"live","marketType":"swap","x":"']: '"}' });
      await submitForm('formPause', '/api/pause', 'application/x-www-form-urlencoded', { paused: 'true' });

    })().catch((error) => {
      results.error = String(error);
    }).finally(() => {
      window.results = results;
      window.done = true;
    });
  `;
}

/** The page after DNS rebinding: its own origin now resolves to the engine, so its requests are same-origin. */
export function rebindScript(): string {
  return `
    const results = {};
    async function attempt(name, run) {
      try {
        const response = await run();
        results[name] = { status: response.status, body: await response.text() };
      } catch (error) {
        results[name] = { status: 0, body: 'failed: ' + error.message };
      }
    }
    (async () => {
      const order = { strategy: 'live', exchange: 'bybit', order_type: 'Market', qty: 0.01, side: 'Buy', symbol: 'BTCUSDT', apikey: 'ak_guessed_key' };
      await attempt('order', () => fetch('/v1/order', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(order) }));
      await attempt('status', () => fetch('/api/status'));
      await attempt('pause', () => fetch('/api/pause', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"paused":true}' }));
      await attempt('ui', () => fetch('/'));
      window.results = results;
      window.done = true;
    })();
  `;
}

export async function serveAttackPage(engineUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    if (request.url === '/attack.js') {
      response.writeHead(200, { 'Content-Type': 'text/javascript' });
      response.end(attackScript(engineUrl));
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end('<!doctype html><title>a page elsewhere</title><body><script src="/attack.js"></script></body>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
