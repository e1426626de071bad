import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../main/engine/log.js';
import { startEngine } from '../../main/engine/engine.js';
import { ApiError } from '../../main/engine/http/api-error.js';
import { tempDataDir } from '../support/apisify-process.js';
import { postSignedOrder, SPEC_EXAMPLE } from '../support/signed-order.js';

// An order that fails inside apisify is answered 500 internal_error pointing at the app log: the log
// must then say what failed and where, and still never the failure's own message.
const errors: { message: string; fields: Record<string, unknown> | undefined }[] = [];
const log: Logger = { info: () => undefined, warn: () => undefined, error: (message, fields) => void errors.push({ message, fields }) };
let engine: Awaited<ReturnType<typeof startEngine>>;
let key: { apikey: string; secret: string };

beforeAll(async () => {
  engine = await startEngine({ dataDir: tempDataDir(), host: '127.0.0.1', port: 0, log });
  engine.services.settings.update({ keyRatePerSecond: 0, addressRatePerSecond: 0 });
  key = await engine.services.apiKeys.create({ label: 'bot', tradingview: false, strategies: [] });
});
afterAll(async () => {
  await engine?.stop();
});

describe('an order that fails inside apisify', () => {
  it('is answered 500 internal_error, and the log names the error, its code and where it was thrown, not its message', async () => {
    const journal = engine.services.journal;
    const spy = vi.spyOn(journal, 'inOneCommit').mockImplementationOnce(() => {
      throw Object.assign(new Error('quoting a request: apikey=abc123secret'), { code: 'SQLITE_BUSY' });
    });
    try {
      const call = await postSignedOrder(engine.url, key, SPEC_EXAMPLE);
      expect(call.status).toBe(500);
      expect(call.body.error).toMatchObject({ code: 'internal_error' });
      expect(journal.get(call.body.order?.id as number)?.status).toBe('error');
    } finally {
      spy.mockRestore();
    }
    const logged = errors.filter((entry) => entry.message === 'an order failed inside apisify');
    expect(logged).toHaveLength(1);
    expect(logged[0]?.fields).toMatchObject({ error: 'Error', code: 'SQLITE_BUSY', at: expect.stringMatching(/^main\/engine\/orders\/order-service\.(ts|js):\d+:\d+$/) });
    expect(JSON.stringify(errors)).not.toContain('abc123secret');
  });

  it('a refusal raised on the way is the order’s answer and logs nothing', async () => {
    const before = errors.length;
    const spy = vi.spyOn(engine.services.journal, 'inOneCommit').mockImplementationOnce(() => {
      throw new ApiError(409, 'account_changed', 'exchange: the account was changed meanwhile', 'exchange');
    });
    try {
      const call = await postSignedOrder(engine.url, key, SPEC_EXAMPLE);
      expect(call.body.error).toMatchObject({ code: 'account_changed' });
    } finally {
      spy.mockRestore();
    }
    expect(errors.length).toBe(before);
  });
});
