import { useState } from 'react';
import { messageOf } from '../api/client.js';
import { setPaused } from '../api/endpoints.js';
import { useEngine } from '../engine/EngineProvider.js';

/** Trading running or paused: paused, /v1/order answers 503 until resumed. */
export function PauseSwitch() {
  const { status, setStatus } = useEngine();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!status) return null;
  const toggle = () => {
    setBusy(true);
    setError(null);
    setPaused(!status.paused).then(
      (next) => {
        setStatus(next);
        setBusy(false);
      },
      (failure: unknown) => {
        setError(messageOf(failure));
        setBusy(false);
      },
    );
  };
  return (
    <span className="pause">
      <button
        type="button"
        role="switch"
        aria-checked={!status.paused}
        data-testid="pause-switch"
        className={`switch ${status.paused ? 'switch-off' : 'switch-on'}`}
        disabled={busy}
        onClick={toggle}
        title={status.paused ? 'Resume trading: /v1/order accepts orders again' : 'Pause trading: /v1/order answers 503 until resumed'}
      >
        <span className="switch-knob" />
        <span className="switch-text">{status.paused ? 'TRADING PAUSED' : 'TRADING RUNNING'}</span>
      </button>
      {error ? <span className="bar-error">{error}</span> : null}
    </span>
  );
}
