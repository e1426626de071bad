import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine } from '../../main/engine/engine.js';
import type { Logger } from '../../main/engine/log.js';
import { tempDataDir } from '../support/apisify-process.js';
import { openUiSession, type UiSessionCredentials } from '../support/ui-session.js';
import { sendRaw } from './raw-http.js';

/** Paths whose percent-encoding is not UTF-8: the client's mistake, answered 4xx, never a 500 and an error in the log. */
const BAD_PATHS = ['/%ff', '/%E0%A4%A', '/keys/%c0%af', '/assets/%ff.js', '/%'];

const logged: { level: string; message: string }[] = [];
const log: Logger = {
  info: (message) => logged.push({ level: 'info', message }),
  warn: (message) => logged.push({ level: 'warn', message }),
  error: (message) => logged.push({ level: 'error', message }),
};
let engine: Awaited<ReturnType<typeof startEngine>>;
let session: UiSessionCredentials;

beforeAll(async () => {
  engine = await startEngine({ dataDir: tempDataDir(), host: '127.0.0.1', port: 0, log });
  session = await openUiSession(engine.createUiUrl());
});
afterAll(() => engine?.stop());

describe('a path with bad percent-encoding', () => {
  it.each(BAD_PATHS)('%s: 400 invalid_path for a page of the UI, with the session', async (path) => {
    const answer = await sendRaw(engine.url, { method: 'GET', path, headers: { ...session.headers, Accept: 'text/html' }, body: Buffer.alloc(0) });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ ok: false, error: { code: 'invalid_path' } });
  });

  it.each(['/api/%ff', '/api/orders/%ff', '/v1/%ff', '/v1/order%ff'])('%s: a 4xx from the API', async (path) => {
    const answer = await sendRaw(engine.url, { method: 'GET', path, headers: session.headers, body: Buffer.alloc(0) });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
  });

  it.each(BAD_PATHS)("%s: a 404 on the tunnel's listener", async (path) => {
    const answer = await sendRaw(engine.tunnelUrl, { method: 'GET', path, headers: {}, body: Buffer.alloc(0) });
    expect(answer.status).toBe(404);
  });

  it('wrote no error to the log', () => {
    expect(logged.filter((line) => line.level === 'error')).toEqual([]);
  });
});
