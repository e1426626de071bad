import type { Engine, StartEngineOptions } from '../../main/engine/engine-types.js';
import type { EngineEvent } from '../../shared/engine-events.js';
import type { EngineStatus } from '../../shared/engine-status.js';
import type { FlattenAnswer, FlattenRequest } from '../../shared/flatten-api.js';
import { engineStatus } from './engine-status-fixture.js';

/** An Engine that keeps its status in memory and records what the shell asks of it. */
export class FakeEngine implements Engine {
  readonly url = 'http://127.0.0.1:8470';
  readonly tunnelUrl = 'http://127.0.0.1:8471';
  readonly calls: string[] = [];
  startedWith: StartEngineOptions | null = null;
  current: EngineStatus = engineStatus();
  readonly #listeners = new Set<(event: EngineEvent) => void>();
  #tokens = 0;

  createUiUrl(): string {
    this.#tokens += 1;
    return `${this.url}/?token=one-time-${this.#tokens}`;
  }
  status(): EngineStatus {
    return this.current;
  }
  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  emit(event: EngineEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
  setPaused(paused: boolean): void {
    this.calls.push(`setPaused(${paused})`);
    this.current = { ...this.current, paused };
    this.emit({ type: 'status', status: this.current });
  }
  /** What the next flatten closes (its `paused` follows the request). */
  flattenCloses: FlattenAnswer['closes'] = [];
  async flatten(request: FlattenRequest): Promise<FlattenAnswer> {
    this.calls.push(`flatten(${JSON.stringify(request)})`);
    if (request.pause) this.setPaused(true);
    return { paused: request.pause === true, closes: this.flattenCloses, cancelled: [], failures: [] };
  }
  async startTunnel(kind: 'cloudflared' | 'ngrok'): Promise<string> {
    this.calls.push(`startTunnel(${kind})`);
    const publicUrl = 'https://quiet-harbor.trycloudflare.com';
    this.current = { ...this.current, publicUrl, tunnel: { state: 'running', kind, publicUrl } };
    this.emit({ type: 'status', status: this.current });
    return publicUrl;
  }
  async stopTunnel(): Promise<void> {
    this.calls.push('stopTunnel()');
  }
  async stop(): Promise<void> {
    this.calls.push('stop()');
  }
}

export const fakeEngine = new FakeEngine();
