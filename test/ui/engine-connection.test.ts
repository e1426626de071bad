import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineConnection, type StreamEvent } from '../../renderer/src/engine/engine-connection.js';

/** A stand-in for the browser's EventSource: the test opens, feeds and fails it by hand. */
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onmessage: ((message: { data: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;

  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }

  open(): void {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.();
  }

  send(data: unknown): void {
    this.onmessage?.({ data: JSON.stringify(data) });
  }

  fail(closed: boolean): void {
    this.readyState = closed ? FakeEventSource.CLOSED : FakeEventSource.CONNECTING;
    this.onerror?.();
  }

  close(): void {
    this.closed = true;
    this.readyState = FakeEventSource.CLOSED;
  }
}

let statusAnswer = 200;
const latest = () => FakeEventSource.instances[FakeEventSource.instances.length - 1] as FakeEventSource;

beforeEach(() => {
  vi.useFakeTimers();
  FakeEventSource.instances = [];
  statusAnswer = 200;
  vi.stubGlobal('EventSource', FakeEventSource);
  vi.stubGlobal('fetch', vi.fn(async () => ({ status: statusAnswer })));
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function connect() {
  const connection = new EngineConnection('/api/events');
  const events: StreamEvent[] = [];
  const states: string[] = [];
  connection.onEvent((event) => events.push(event));
  connection.onState((state) => states.push(state));
  connection.start();
  return { connection, events, states };
}

describe('the engine event stream', () => {
  it('passes the engine events on, and ignores what is not JSON', () => {
    const { events, states } = connect();
    latest().open();
    latest().send({ type: 'config', what: 'keys' });
    latest().onmessage?.({ data: 'not json' });
    expect(states).toEqual(['live']);
    expect(events).toEqual([{ type: 'config', what: 'keys' }]);
  });

  it('lets the browser retry a dropped stream, then asks for a resync', () => {
    const { events, states } = connect();
    latest().open();
    latest().fail(false);
    expect(FakeEventSource.instances).toHaveLength(1);
    latest().open();
    expect(states).toEqual(['live', 'reconnecting', 'live']);
    expect(events).toEqual([{ type: 'resync' }]);
  });

  it('reopens a closed stream with back-off', async () => {
    const { states } = connect();
    latest().open();
    latest().fail(true);
    await vi.advanceTimersByTimeAsync(499);
    expect(FakeEventSource.instances).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeEventSource.instances).toHaveLength(2);
    latest().fail(true);
    await vi.advanceTimersByTimeAsync(999);
    expect(FakeEventSource.instances).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeEventSource.instances).toHaveLength(3);
    expect(states).toEqual(['live', 'reconnecting']);
  });

  it('says the session is lost when the engine answers 401, and keeps trying slowly', async () => {
    const { states } = connect();
    latest().open();
    statusAnswer = 401;
    latest().fail(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(states).toEqual(['live', 'session-lost']);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(FakeEventSource.instances).toHaveLength(2);
  });

  it('stops for good', async () => {
    const { connection } = connect();
    const first = latest();
    connection.stop();
    expect(first.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeEventSource.instances).toHaveLength(1);
  });
});
