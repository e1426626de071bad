import type { EngineEvent } from '../../../shared/engine-events.js';
import { sessionHeaders, withSessionQuery } from '../api/session-token.js';
import { retryDelayMs } from '../state/reconnect.js';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'session-lost';

/** What listeners hear: the engine's events, and "resync" after a gap in the stream (fetch lists again). */
export type StreamEvent = EngineEvent | { type: 'resync' };

/**
 * The one EventSource on /api/events, reopened with back-off when it drops. A stream the server
 * refuses (401 after an engine restart: sessions live in memory) is reported as a lost session.
 */
export class EngineConnection {
  #source: EventSource | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #attempt = 0;
  #everOpened = false;
  #stopped = false;
  readonly #events = new Set<(event: StreamEvent) => void>();
  readonly #states = new Set<(state: ConnectionState) => void>();
  state: ConnectionState = 'connecting';

  constructor(private readonly url = '/api/events') {}

  onEvent(listener: (event: StreamEvent) => void): () => void {
    this.#events.add(listener);
    return () => this.#events.delete(listener);
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.#states.add(listener);
    return () => this.#states.delete(listener);
  }

  start(): void {
    this.#stopped = false;
    this.#open();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#source?.close();
    this.#source = null;
  }

  #setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    for (const listener of this.#states) listener(state);
  }

  #emit(event: StreamEvent): void {
    for (const listener of this.#events) listener(event);
  }

  #open(): void {
    if (this.#stopped) return;
    const source = new EventSource(withSessionQuery(this.url));
    this.#source = source;
    source.onopen = () => {
      this.#attempt = 0;
      this.#setState('live');
      if (this.#everOpened) this.#emit({ type: 'resync' });
      this.#everOpened = true;
    };
    source.onmessage = (message: MessageEvent<string>) => {
      try {
        this.#emit(JSON.parse(message.data) as EngineEvent);
      } catch {
        // A line that is not JSON is not ours to act on.
      }
    };
    source.onerror = () => {
      if (source.readyState !== EventSource.CLOSED) {
        this.#setState('reconnecting'); // the browser retries by itself
        return;
      }
      source.close();
      this.#source = null;
      void this.#retry();
    };
  }

  async #retry(): Promise<void> {
    if (this.#stopped) return;
    const lost = await fetch('/api/status', { credentials: 'same-origin', cache: 'no-store', headers: sessionHeaders() }).then((response) => response.status === 401, () => false);
    this.#setState(lost ? 'session-lost' : 'reconnecting');
    const delay = lost ? 10_000 : retryDelayMs(this.#attempt);
    this.#attempt += 1;
    this.#timer = setTimeout(() => this.#open(), delay);
  }
}
