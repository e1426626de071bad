export type ThrottledLevel = 'info' | 'warn' | 'error';

interface Window {
  level: ThrottledLevel;
  message: string;
  endsAt: number;
  suppressed: number;
}

/** Far more distinct lines than the engine has; a bound all the same, should a message ever carry varying text. */
const MAX_TRACKED = 1_000;

/**
 * Repeated log lines (same level and message) within a window: the first is written, the rest are
 * counted, and when the window ends one line says how many there were. A flood of bad requests then
 * costs a line per window, not a line per request.
 */
export class LogThrottle {
  readonly #windows = new Map<string, Window>();
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly windowMs: number,
    private readonly writeCount: (level: ThrottledLevel, message: string, repeated: number) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.#timer = setInterval(() => this.#endWindows(false), Math.max(windowMs, 100));
    // Never what keeps a process alive.
    this.#timer.unref();
  }

  /** Whether this line is written now; false when it repeats one written within the window (it is counted). */
  admit(level: ThrottledLevel, message: string): boolean {
    if (this.windowMs <= 0) return true;
    const key = `${level}\u0000${message}`;
    const now = this.now();
    const window = this.#windows.get(key);
    if (window && window.endsAt > now) {
      window.suppressed++;
      return false;
    }
    if (window) this.#end(key, window);
    if (this.#windows.size >= MAX_TRACKED) this.#endWindows(true);
    this.#windows.set(key, { level, message, endsAt: now + this.windowMs, suppressed: 0 });
    return true;
  }

  /** Writes the counts of every window still open (before the log closes). */
  flush(): void {
    this.#endWindows(true);
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  #endWindows(all: boolean): void {
    const now = this.now();
    for (const [key, window] of this.#windows) if (all || window.endsAt <= now) this.#end(key, window);
  }

  #end(key: string, window: Window): void {
    this.#windows.delete(key);
    if (window.suppressed > 0) this.writeCount(window.level, window.message, window.suppressed);
  }
}
