import type { EngineEvent } from '../../../shared/engine-events.js';

type Listener = (event: EngineEvent) => void;

/** Fan-out of engine events to SSE clients, the tray and notifications. A failing listener never stops the others. */
export class EventBus {
  readonly #listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: EngineEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A watcher's bug must not break order handling.
      }
    }
  }
}
