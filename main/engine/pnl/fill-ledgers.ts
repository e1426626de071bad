import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Fill, FillContext, FillQuery, FillRewrite, Fills, FillsMark } from '../store/fills.js';
import { byFillOrder, PnlLedger, sortsAfter } from './pnl-ledger.js';

/** Which ledger each fill belongs to, and how to read one ledger's fills again. */
export interface LedgerSelection {
  /** null: the fill is in none of them. */
  keyOf(fill: FillContext): string | null;
  /** Reads the fills of the ledger `fill` belongs to (a wider read is fine: `keyOf` picks). */
  queryOf(fill: FillContext): FillQuery;
}

interface Entry {
  ledger: PnlLedger;
  query: FillQuery;
}

/** Fills folded, or ids read, between two turns of the event loop: orders wait for no more than one such step. */
const STEP = 500;

/**
 * A ledger per key (per strategy, per account) over the fills table, brought up to date when read:
 * the fills added since (by id: they only grow) are folded on, and a rewrite of the past (a leg's
 * trades in place of its totals) rewinds that ledger and folds again from there. The first read folds
 * the whole journal, a step at a time, letting orders through between steps; later reads cost what
 * changed since the last. Nothing is built until something asks: a headless engine pays nothing.
 */
export class FillLedgers {
  readonly #entries = new Map<string, Entry>();
  #mark: FillsMark | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly fills: Fills,
    private readonly selection: LedgerSelection,
    private readonly pause: () => Promise<unknown> = () => nextTurn(),
  ) {}

  /** Every ledger, up to date with every fill written before the call. */
  current(): Promise<ReadonlyMap<string, PnlLedger>> {
    const refreshed = this.#queue.then(() => this.#refresh());
    this.#queue = refreshed.catch(() => undefined);
    return refreshed;
  }

  async #refresh(): Promise<ReadonlyMap<string, PnlLedger>> {
    const mark = this.fills.mark();
    const since = this.#mark;
    // until it finishes, the ledgers match no mark: a failure part-way reads everything next time
    this.#mark = null;
    const rewrites = since === null ? null : this.fills.rewritesBetween(since, mark);
    if (since === null || rewrites === null) await this.#rebuild(mark);
    else await this.#update(since, mark, rewrites);
    this.#mark = mark;
    return new Map([...this.#entries].map(([key, entry]) => [key, entry.ledger]));
  }

  async #rebuild(mark: FillsMark): Promise<void> {
    this.#entries.clear();
    const groups = new Map<string, Fill[]>();
    for (let from = 0; from < mark.lastId; from += STEP) {
      for (const fill of this.fills.byIds(from, Math.min(from + STEP, mark.lastId))) this.#groupInto(groups, fill);
      await this.pause();
    }
    for (const [key, fills] of groups) await this.#foldOnto(this.#entryFor(key, fills[0] as Fill), fills.sort(byFillOrder));
  }

  async #update(since: FillsMark, mark: FillsMark, rewrites: readonly FillRewrite[]): Promise<void> {
    const rewindFrom = new Map<string, string>();
    const earliest = (key: string, at: string) => {
      const known = rewindFrom.get(key);
      if (known === undefined || at < known) rewindFrom.set(key, at);
    };
    for (const rewrite of rewrites) {
      const key = this.selection.keyOf(rewrite.context);
      if (key !== null && this.#entries.has(key)) earliest(key, rewrite.from);
    }
    const added = new Map<string, Fill[]>();
    for (const fill of this.fills.byIds(since.lastId, mark.lastId)) this.#groupInto(added, fill);
    for (const [key, fills] of added) {
      fills.sort(byFillOrder);
      const entry = this.#entries.get(key);
      if (entry && !sortsAfter(fills[0] as Fill, entry.ledger.cursor)) earliest(key, (fills[0] as Fill).at);
    }
    for (const [key, fills] of added) {
      if (!rewindFrom.has(key)) await this.#foldOnto(this.#entryFor(key, fills[0] as Fill), fills);
    }
    for (const [key, from] of rewindFrom) {
      const entry = this.#entries.get(key) as Entry;
      const after = entry.ledger.rewindBefore(from);
      const again = this.fills.list({ ...entry.query, ...(after === null ? {} : { after }), throughId: mark.lastId }).filter((fill) => this.selection.keyOf(fill) === key);
      await this.#foldOnto(entry, again);
    }
  }

  #groupInto(groups: Map<string, Fill[]>, fill: Fill): void {
    const key = this.selection.keyOf(fill);
    if (key === null) return;
    const group = groups.get(key);
    if (group) group.push(fill);
    else groups.set(key, [fill]);
  }

  #entryFor(key: string, fill: FillContext): Entry {
    let entry = this.#entries.get(key);
    if (!entry) this.#entries.set(key, (entry = { ledger: new PnlLedger(), query: this.selection.queryOf(fill) }));
    return entry;
  }

  /** `fills` in the fills' order, all after the ledger's cursor. */
  async #foldOnto(entry: Entry, fills: readonly Fill[]): Promise<void> {
    for (let index = 0; index < fills.length; index += 1) {
      entry.ledger.add(fills[index] as Fill);
      if ((index + 1) % STEP === 0) await this.pause();
    }
  }
}
