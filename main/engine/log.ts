import { mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { pino } from 'pino';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import { LogThrottle } from './log-throttle.js';

/**
 * One JSON line per event, to the data dir's log file (and stderr when asked). Callers pass plain
 * facts, never request bodies or error objects from outside, so a secret has no way in; field names
 * that could hold one are censored, and `redact` is the last line of defence for values the engine
 * knows are secret.
 */
export interface Logger {
  info(message: string, fields?: Record<string, string | number | boolean | null>): void;
  warn(message: string, fields?: Record<string, string | number | boolean | null>): void;
  error(message: string, fields?: Record<string, string | number | boolean | null>): void;
}

/** What createLogger returns: a Logger its owner can close (the file is then released; later lines are dropped). */
export interface ClosableLogger extends Logger {
  close(): Promise<void>;
}

export interface LoggerOptions {
  stderr?: boolean;
  redact?: (text: string) => string;
  /** Rotate when the file passes this size (rotating-file-stream's notation: '10M', '300K'). */
  fileSize?: string;
  /** How many rotated files are kept beside the current one: the total is about (kept + 1) x fileSize. */
  rotatedFilesKept?: number;
  /** Lines with the same level and message within this window are written once, then counted. */
  throttleWindowMs?: number;
}

const DEFAULT_FILE_SIZE = '10M';
const DEFAULT_ROTATED_FILES_KEPT = 4;
const DEFAULT_THROTTLE_WINDOW_MS = 10_000;

/** Field names whose values are never written, whoever passes them: the engine's own rule is not to pass them at all. */
const SECRET_FIELDS = ['secret', 'apikey', 'apiKey', 'sign', 'token', 'password', 'authorization', 'cookie', 'passphrase'];

export function createLogger(file: string | null, options: LoggerOptions = {}): ClosableLogger {
  const redact = options.redact ?? ((text: string) => text);
  let closed = false;
  let stream: RotatingFileStream | null = null;
  if (file) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const name = basename(file);
    // Classic rotation: apisify.log, then apisify.log.1 (newest) ... apisify.log.N; the oldest is dropped.
    stream = createStream((index: number | Date | null) => (typeof index === 'number' && index > 0 ? `${name}.${index}` : name), {
      path: dirname(file),
      size: options.fileSize ?? DEFAULT_FILE_SIZE,
      rotate: options.rotatedFilesKept ?? DEFAULT_ROTATED_FILES_KEPT,
      mode: 0o600,
    });
    // A full disk or a removed folder must not end the engine: say it once on stderr and go on without the file.
    let complained = false;
    const complain = (error: Error) => {
      if (complained) return;
      complained = true;
      process.stderr.write(`apisify: the log file ${file} cannot be written (${error.message}); logging to it stopped\n`);
    };
    stream.on('error', complain);
    stream.on('warning', complain);
  }
  const fileStream = stream;
  const destination = {
    write(line: string): void {
      if (closed) return;
      const safe = redact(line);
      if (fileStream) fileStream.write(safe);
      if (options.stderr) process.stderr.write(safe);
    },
  };
  const logger = pino(
    {
      base: null,
      messageKey: 'message',
      timestamp: () => `,"at":"${new Date().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: SECRET_FIELDS, censor: '[redacted]' },
    },
    destination,
  );
  const throttle = new LogThrottle(options.throttleWindowMs ?? DEFAULT_THROTTLE_WINDOW_MS, (level, message, repeated) => {
    logger[level]({ repeated, note: `the line above came ${repeated} more times within ${(options.throttleWindowMs ?? DEFAULT_THROTTLE_WINDOW_MS) / 1000} s` }, message);
  });
  const write = (level: 'info' | 'warn' | 'error') => (message: string, fields?: Record<string, string | number | boolean | null>) => {
    if (closed || !throttle.admit(level, message)) return;
    logger[level](fields ?? {}, message);
  };
  return {
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    async close() {
      if (closed) return;
      throttle.flush();
      throttle.stop();
      closed = true;
      if (fileStream) await new Promise<void>((resolve) => fileStream.end(() => resolve()));
    },
  };
}
