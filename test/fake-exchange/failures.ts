// Failures a test asked for with failNext(). Each rule is used up by the requests it matches.

import type { FailureKind, FailureOptions } from './types.js';

export const DEFAULT_HOLD_MS = 30_000;

interface Rule {
  kind: FailureKind;
  remaining: number;
  delayMs: number;
  path: string | undefined;
  method: string | undefined;
}

/** What the server knows about a request when it asks whether it should fail. */
export interface RequestFacts {
  method: string;
  path: string;
  signed: boolean;
  placesOrder: boolean;
}

export interface Failure {
  kind: FailureKind;
  delayMs: number;
}

function scopeMatches(kind: FailureKind, facts: RequestFacts): boolean {
  switch (kind) {
    case 'insufficient_funds':
    case 'timeout_after_accept':
    case 'unknown_after_accept':
    case 'hold_before_accept':
      return facts.placesOrder;
    case 'auth':
      return facts.signed;
    case 'rate_limit':
    case 'server_error':
      return true;
  }
}

export class FailurePlan {
  private rules: Rule[] = [];

  add(kind: FailureKind, opts: FailureOptions = {}): void {
    const count = opts.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new Error(`failNext count must be a positive integer, got ${count}`);
    this.rules.push({ kind, remaining: count, delayMs: opts.delayMs ?? DEFAULT_HOLD_MS, path: opts.path, method: opts.method });
  }

  /** Uses up one matching rule of one of `kinds`, oldest first. */
  take(kinds: readonly FailureKind[], facts: RequestFacts): Failure | undefined {
    const rule = this.rules.find(
      (r) =>
        kinds.includes(r.kind) &&
        (r.path === undefined || r.path === facts.path) &&
        (r.method === undefined || r.method === facts.method) &&
        // a hold aimed at one path holds any request there (a position read, say), not only placements
        (scopeMatches(r.kind, facts) || (r.kind === 'hold_before_accept' && r.path !== undefined)),
    );
    if (rule === undefined) return undefined;
    rule.remaining -= 1;
    if (rule.remaining === 0) this.rules = this.rules.filter((r) => r !== rule);
    return { kind: rule.kind, delayMs: rule.delayMs };
  }
}
