/**
 * Remembers signatures seen within the timestamp window: the same signature twice is a replay.
 * Entries older than the window are useless (the timestamp check refuses them anyway) and are swept.
 */
export class ReplayGuard {
  readonly #seen = new Map<string, number>();
  #lastSweep = 0;

  /** Returns false when `sign` was already used; otherwise remembers it until `expiresAt`. */
  claim(sign: string, expiresAt: number, now = Date.now()): boolean {
    this.#sweep(now);
    const previous = this.#seen.get(sign);
    if (previous !== undefined && previous > now) return false;
    this.#seen.set(sign, expiresAt);
    return true;
  }

  get size(): number {
    return this.#seen.size;
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < 1000) return;
    this.#lastSweep = now;
    for (const [sign, expiresAt] of this.#seen) if (expiresAt <= now) this.#seen.delete(sign);
  }
}
