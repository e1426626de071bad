import type { ExchangeConnection, TunnelState } from '../../../shared/engine-status.js';
import { listExchanges } from '../api/endpoints.js';
import { useEngine } from '../engine/EngineProvider.js';
import { useApi } from '../engine/use-api.js';
import { connectivityOf } from '../state/exchange-connectivity.js';
import { normalizeExchangeAccounts } from '../state/exchanges.js';
import type { ConnectionState } from '../engine/engine-connection.js';
import { formatTime } from '../state/order-format.js';
import { CopyButton } from './CopyButton.js';
import { PauseSwitch } from './PauseSwitch.js';
import { useTimeZone } from './time-zone.js';

const CONNECTION_TEXT: Record<ConnectionState, string> = {
  connecting: 'connecting…',
  live: 'live',
  reconnecting: 'reconnecting…',
  'session-lost': 'session ended',
};

function tunnelText(tunnel: TunnelState): string {
  switch (tunnel.state) {
    case 'off':
      return 'off';
    case 'starting':
      return `${tunnel.kind} starting…`;
    case 'running':
      // An ngrok agent apisify did not start: its URL is its say-so (the notice, on hover, says what to check).
      return `${tunnel.kind} ${tunnel.publicUrl}${tunnel.notice ? ' (not started by apisify: check it)' : ''}`;
    case 'error':
      return `${tunnel.kind} error`;
  }
}

/** Which exchange accounts live strategies can use, and whether the engine could reach them lately. */
function ExchangesItem({ connections }: { connections: readonly ExchangeConnection[] }) {
  const exchanges = useApi(listExchanges, ['exchanges']);
  const zone = useTimeZone();
  if (exchanges.notAvailable || !exchanges.data) return null;
  const configured = normalizeExchangeAccounts(exchanges.data)
    .filter((account) => account.configured);
  const items = connectivityOf(configured, connections, (iso) => formatTime(iso, new Date(), zone));
  return (
    <span className="bar-item" data-testid="bar-exchanges">
      <span className="bar-label">Exchanges</span>{' '}
      {items.length === 0 ? <span className="muted">none set (dry-run only)</span> : null}
      {items.map((item) => (
        <span key={item.exchange} className={`exchange-conn conn-${item.tone}`} title={item.title} data-testid={`bar-exchange-${item.exchange}`}>
          <span className="dot" /> {item.text}
        </span>
      ))}
    </span>
  );
}

/**
 * The bottom lines: where the server listens, trading on or off, secrets, tunnel, exchanges, the stream.
 * It wraps rather than clips, so a narrow window still shows every item and the whole error.
 */
export function StatusBar() {
  const { status, connection } = useEngine();
  return (
    <footer className={`status-bar${connection === 'live' || connection === 'connecting' ? '' : ' stale'}`} data-testid="status-bar">
      <span className={`bar-item conn conn-${connection}`} title="The UI's live event stream">
        <span className="dot" /> {CONNECTION_TEXT[connection]}
      </span>
      {status ? (
        <>
          <span className="bar-item" title="The engine listens here; bots post to /v1/order">
            <span className="bar-label">Server</span> <span className="num" data-testid="server-url">{status.url}</span>
            <CopyButton text={`${status.url}/v1/order`} label="Copy order URL" />
          </span>
          <PauseSwitch />
          <span className="bar-item">
            <span className="bar-label">Secrets</span> {status.keychain === 'keychain' ? 'OS keychain' : 'encrypted file'}
          </span>
          <ExchangesItem connections={status.exchanges ?? []} />
          <span className={`bar-item tunnel-${status.tunnel.state}`} title={status.tunnel.state === 'error' ? status.tunnel.message : status.tunnel.state === 'running' && status.tunnel.notice ? status.tunnel.notice : 'Tunnel for TradingView'}>
            <span className="bar-label">Tunnel</span> {tunnelText(status.tunnel)}
          </span>
          {status.publicUrl && status.tunnel.state !== 'running' ? (
            <span className="bar-item">
              <span className="bar-label">Public</span> {status.publicUrl}
            </span>
          ) : null}
          <span className="bar-item bar-right">
            <span className="bar-label">Today</span> <span className="num">{status.ordersToday}</span> orders
          </span>
          {status.error ? (
            <span className="bar-item bar-error" role="alert" data-testid="bar-error">
              {status.error}
            </span>
          ) : null}
        </>
      ) : null}
    </footer>
  );
}
