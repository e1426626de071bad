import { useCallback, useEffect, useRef, useState } from 'react';
import type { EngineEvent } from '../../../shared/engine-events.js';
import { ApiFailure, messageOf } from '../api/client.js';
import { useEngineEvents } from './EngineProvider.js';

type ConfigWhat = Extract<EngineEvent, { type: 'config' }>['what'];

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  /** The endpoint is not in this engine (404). */
  notAvailable: boolean;
  loading: boolean;
  reload(): void;
}

/** Loads with `loader`, and again when the engine says `reloadOn` changed or the stream had a gap. */
export function useApi<T>(loader: () => Promise<T>, reloadOn: readonly ConfigWhat[] = [], options: { onOrders?: boolean } = {}): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notAvailable, setNotAvailable] = useState(false);
  const [loading, setLoading] = useState(true);
  const latestLoader = useRef(loader);
  latestLoader.current = loader;
  const generation = useRef(0);

  const reload = useCallback(() => {
    const mine = ++generation.current;
    setLoading(true);
    latestLoader.current().then(
      (value) => {
        if (mine !== generation.current) return;
        setData(value);
        setError(null);
        setNotAvailable(false);
        setLoading(false);
      },
      (failure: unknown) => {
        if (mine !== generation.current) return;
        setNotAvailable(failure instanceof ApiFailure && failure.notAvailable);
        setError(messageOf(failure));
        setLoading(false);
      },
    );
  }, []);

  useEffect(reload, [reload]);
  // Orders move counters (orders today, positions): reload at most every 500 ms while they stream in.
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (pending.current) clearTimeout(pending.current);
  }, []);
  useEngineEvents((event) => {
    if (event.type === 'resync' || (event.type === 'config' && reloadOn.includes(event.what))) reload();
    if (event.type === 'order' && options.onOrders && !pending.current) {
      pending.current = setTimeout(() => {
        pending.current = null;
        reload();
      }, 500);
    }
  });
  return { data, error, notAvailable, loading, reload };
}
