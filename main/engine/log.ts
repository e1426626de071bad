import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * One JSON line per event, to the data dir's log file (and stderr when asked). Callers pass plain
 * facts, never request bodies or error objects from outside, so a secret has no way in; `redact`
 * is the second line of defence for values the engine knows are secret.
 */
export interface Logger {
  info(message: string, fields?: Record<string, string | number | boolean | null>): void;
  warn(message: string, fields?: Record<string, string | number | boolean | null>): void;
  error(message: string, fields?: Record<string, string | number | boolean | null>): void;
}

export function createLogger(file: string | null, options: { stderr?: boolean; redact?: (text: string) => string } = {}): Logger {
  if (file) mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const redact = options.redact ?? ((text: string) => text);
  const write = (level: string, message: string, fields: Record<string, unknown> = {}) => {
    const line = redact(JSON.stringify({ at: new Date().toISOString(), level, message, ...fields })) + '\n';
    if (file) appendFileSync(file, line, { mode: 0o600 });
    if (options.stderr) process.stderr.write(line);
  };
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}
