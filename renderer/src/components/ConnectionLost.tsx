import { useEffect, useState } from 'react';
import { useEngine } from '../engine/EngineProvider.js';
import { connectionNotice } from '../state/connection-notice.js';
import { formatTime } from '../state/order-format.js';
import { useTimeZone } from './time-zone.js';

/** Over the whole window while the engine is away: the data behind it is the last it sent, not the present. */
export function ConnectionLost() {
  const { connection } = useEngine();
  const zone = useTimeZone();
  const [lastLiveAt, setLastLiveAt] = useState<string | null>(null);
  useEffect(() => {
    if (connection === 'live') setLastLiveAt(null);
    else setLastLiveAt((current) => current ?? new Date().toISOString());
  }, [connection]);
  const notice = connectionNotice(connection, lastLiveAt && formatTime(lastLiveAt, new Date(), zone));
  if (!notice) return null;
  return (
    <div className="connection-lost" role="alertdialog" aria-modal="true" aria-labelledby="connection-lost-title" data-testid="connection-lost">
      <div className="connection-lost-box">
        <h2 id="connection-lost-title">{notice.title}</h2>
        <p>{notice.detail}</p>
        {notice.howBack ? <p className="strong">{notice.howBack}</p> : <p className="muted small">This window reconnects by itself when apisify answers again.</p>}
      </div>
    </div>
  );
}
