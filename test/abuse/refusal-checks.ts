import type { Expectation } from './corpus.js';
import type { RawResponse } from './raw-http.js';

interface ErrorBody {
  ok: boolean;
  error?: { code?: unknown; message?: unknown; field?: unknown };
}

/** Every 8-character piece of each secret: an answer that holds any of them leaks part of one. */
export function secretPieces(...secrets: string[]): string[] {
  return secrets.flatMap((secret) => Array.from({ length: Math.max(0, secret.length - 7) }, (_, index) => secret.slice(index, index + 8)));
}

/**
 * What is wrong with a refusal, as a list (empty when it is right): the expected status and code,
 * the API's error shape, a message that names the field (or, without a field, says what it is about),
 * and nothing of a secret anywhere in the answer.
 */
export function refusalProblems(response: RawResponse, expected: Expectation, method: string, secrets: string[]): string[] {
  const problems: string[] = [];
  if (response.status !== expected.status) problems.push(`status ${response.status}, expected ${expected.status}`);
  if (response.status < 400 || response.status > 499) problems.push('not a 4xx');
  for (const [name, value] of Object.entries(expected.headers ?? {})) {
    if (response.headers[name.toLowerCase()] !== value) problems.push(`header ${name}: ${String(response.headers[name.toLowerCase()])}, expected ${value}`);
  }
  const leaked = secrets.find((piece) => response.text.includes(piece));
  if (leaked) problems.push(`the answer holds part of a secret (${leaked})`);
  if (method === 'HEAD') {
    if (response.text !== '') problems.push('a body on a HEAD answer');
    return problems;
  }
  if (!String(response.headers['content-type']).startsWith('application/json')) problems.push(`Content-Type ${String(response.headers['content-type'])}`);
  const body = response.json as ErrorBody | undefined;
  const error = body?.error;
  if (body?.ok !== false || !error || typeof error.message !== 'string' || error.message === '') {
    problems.push('not the error shape {ok: false, error: {code, message}}');
    return problems;
  }
  if (error.code !== expected.code) problems.push(`code ${String(error.code)}, expected ${expected.code}`);
  if ((error.field ?? null) !== expected.field) problems.push(`field ${JSON.stringify(error.field)}, expected ${JSON.stringify(expected.field)}`);
  if (expected.field !== null && !error.message.includes(expected.field) && !error.message.includes(JSON.stringify(expected.field))) {
    problems.push(`the message does not name ${expected.field}`);
  }
  if (expected.message !== undefined && !new RegExp(expected.message, 'u').test(error.message)) problems.push(`message ${JSON.stringify(error.message)} does not match /${expected.message}/`);
  return problems;
}
