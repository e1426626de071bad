import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Exchange } from 'ccxt';
import { inBackground } from '../scheduling/request-priority.js';

const FRESH_FOR_MS = 60 * 60 * 1000;

interface CachedMarkets {
  baseUrl: string | null;
  fetchedAt: number;
  markets: unknown;
}

/**
 * Markets on disk, so a start-up trades at once instead of waiting for thousands of instruments:
 * a cached copy is used straight away, and refreshed in the background once it is an hour old.
 */
export class MarketsCache {
  constructor(private readonly dir: string) {}

  async load(exchange: Exchange, key: string, baseUrl: string | null, onRefreshError: (error: unknown) => void): Promise<void> {
    const cached = this.#read(key);
    if (cached && cached.baseUrl === baseUrl) {
      exchange.setMarkets(cached.markets);
      if (Date.now() - cached.fetchedAt > FRESH_FOR_MS) {
        // a refresh is background work: it must not stand between an order and the exchange
        void inBackground(() => exchange.loadMarkets(true)).then(() => this.#write(key, baseUrl, exchange), onRefreshError);
      }
      return;
    }
    await exchange.loadMarkets();
    this.#write(key, baseUrl, exchange);
  }

  #file(key: string): string {
    return join(this.dir, `${key.replace(/[^a-z0-9_-]/gi, '_')}.json`);
  }

  #read(key: string): CachedMarkets | null {
    try {
      return JSON.parse(readFileSync(this.#file(key), 'utf8')) as CachedMarkets;
    } catch {
      return null;
    }
  }

  #write(key: string, baseUrl: string | null, exchange: Exchange): void {
    mkdirSync(this.dir, { recursive: true });
    const file = this.#file(key);
    const cached: CachedMarkets = { baseUrl, fetchedAt: Date.now(), markets: Object.values(exchange.markets ?? {}) };
    writeFileSync(`${file}.tmp`, JSON.stringify(cached));
    renameSync(`${file}.tmp`, file);
  }
}
