import { readdirSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../main/engine/log.js';
import { startServer, tempDataDir } from '../support/apisify-process.js';

interface LogLine {
  level: string;
  message: string;
  at: string;
  repeated?: number;
  [field: string]: unknown;
}

function linesOf(file: string): LogLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogLine);
}

/** A request Node's parser refuses (a chunk size that is not hex): the engine logs the failed connection. */
function malformedRequest(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write('POST /v1/order HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n');
    });
    socket.on('data', () => socket.destroy());
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
  });
}

describe('the log file', () => {
  it('writes a flood of malformed requests as one line and a count, not a line each', async () => {
    const dataDir = tempDataDir();
    const server = await startServer(dataDir);
    try {
      for (let batch = 0; batch < 10; batch++) await Promise.all(Array.from({ length: 20 }, () => malformedRequest(server.url)));
    } finally {
      expect(await server.stop()).toBe(0);
    }
    const lines = linesOf(join(dataDir, 'logs', 'apisify.log')).filter((line) => line.message === 'client connection failed');
    // The first is written as it came; the other 199 are one line, written when the window ended or the log closed.
    expect(lines.length).toBe(2);
    expect(lines[0]?.repeated).toBeUndefined();
    expect(lines[1]?.repeated).toBe(199);
  });

  it('rotates by size and keeps a bounded number of files', async () => {
    const dir = tempDataDir();
    const file = join(dir, 'logs', 'apisify.log');
    const log = createLogger(file, { fileSize: '4K', rotatedFilesKept: 2 });
    // Distinct messages, so the throttle lets every one through: about 200 KB in all.
    for (let index = 0; index < 2_000; index++) {
      log.info(`order ${index} journaled`, { orderId: index, note: 'x'.repeat(40) });
      if (index % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await log.close();
    const files = readdirSync(join(dir, 'logs')).sort();
    expect(files).toEqual(['apisify.log', 'apisify.log.1', 'apisify.log.2']);
    const total = files.reduce((sum, name) => sum + statSync(join(dir, 'logs', name)).size, 0);
    // Three files of about 4 KiB each (a file rotates after the write that passes the size).
    expect(total).toBeLessThan(3 * 6 * 1024);
    // The newest lines are in the current file.
    expect(linesOf(file).at(-1)?.message).toBe('order 1999 journaled');
  });

  it('never writes the value of a field named like a secret, and applies the redaction it is given', async () => {
    const dir = tempDataDir();
    const file = join(dir, 'apisify.log');
    const log = createLogger(file, { redact: (text) => text.replaceAll('sk_known_secret', '[secret]') });
    log.warn('a caller broke the rule', { secret: 'sk_field_value', apikey: 'ak_field_value', sign: 'abcdef', label: 'mine' });
    log.info('a message that names sk_known_secret');
    await log.close();
    const text = readFileSync(file, 'utf8');
    for (const value of ['sk_field_value', 'ak_field_value', 'abcdef', 'sk_known_secret']) expect(text).not.toContain(value);
    const [first, second] = linesOf(file);
    expect(first).toMatchObject({ level: 'warn', message: 'a caller broke the rule', secret: '[redacted]', label: 'mine' });
    expect(second?.message).toBe('a message that names [secret]');
  });
});
