import { useEngine } from '../engine/EngineProvider.js';

/** The session ended (an engine restart ends them): say how to get a new one. */
export function SessionLost() {
  const { connection } = useEngine();
  if (connection !== 'session-lost') return null;
  return (
    <div className="session-lost" role="alert">
      This window's session has ended (apisify restarted?). Open apisify again from the tray, or run <code>apisify ui</code> for a new link.
    </div>
  );
}
