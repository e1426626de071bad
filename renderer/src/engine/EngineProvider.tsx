import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { EngineStatus } from '../../../shared/engine-status.js';
import { onSessionLost } from '../api/client.js';
import { getStatus } from '../api/endpoints.js';
import { type ConnectionState, EngineConnection, type StreamEvent } from './engine-connection.js';

interface EngineContextValue {
  status: EngineStatus | null;
  connection: ConnectionState;
  setStatus(status: EngineStatus): void;
  subscribe(listener: (event: StreamEvent) => void): () => void;
}

const EngineContext = createContext<EngineContextValue | null>(null);

/** Holds the engine's status and its one event stream for every page. */
export function EngineProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<EngineStatus | null>(null);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [engine] = useState(() => new EngineConnection());

  useEffect(() => {
    const offState = engine.onState(setConnection);
    const offEvent = engine.onEvent((event) => {
      if (event.type === 'status') setStatus(event.status);
    });
    const offSession = onSessionLost(() => setConnection('session-lost'));
    engine.start();
    void getStatus().then(setStatus, () => undefined);
    return () => {
      offState();
      offEvent();
      offSession();
      engine.stop();
    };
  }, [engine]);

  const subscribe = useCallback((listener: (event: StreamEvent) => void) => engine.onEvent(listener), [engine]);
  const value = useMemo<EngineContextValue>(() => ({ status, connection, setStatus, subscribe }), [status, connection, subscribe]);
  return <EngineContext.Provider value={value}>{children}</EngineContext.Provider>;
}

export function useEngine(): EngineContextValue {
  const value = useContext(EngineContext);
  if (!value) throw new Error('useEngine outside EngineProvider');
  return value;
}

/** Calls `handler` for every stream event; the latest handler is used without resubscribing. */
export function useEngineEvents(handler: (event: StreamEvent) => void): void {
  const { subscribe } = useEngine();
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => subscribe((event) => latest.current(event)), [subscribe]);
}
