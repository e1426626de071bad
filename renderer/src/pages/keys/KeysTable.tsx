import { useState } from 'react';
import { Time } from '../../components/Time.js';
import type { ApiKeyRecord } from '../../state/api-types.js';

/** The active keys (masked); revoking asks once more, inline. */
export function KeysTable({ keys, onRevoke }: { keys: readonly ApiKeyRecord[]; onRevoke(key: ApiKeyRecord): void }) {
  const [confirming, setConfirming] = useState<number | null>(null);
  if (keys.length === 0) return <p className="muted pad">No API keys yet. Bots and TradingView need one to place orders.</p>;
  return (
    <div className="table-wrap">
      <table className="grid" data-testid="keys-table">
        <thead>
          <tr>
            <th>Label</th>
            <th>Key</th>
            <th>Kind</th>
            <th>May trade</th>
            <th>Created</th>
            <th>Last used</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr key={key.id} data-testid={`key-row-${key.id}`}>
              <td className="strong">{key.label}</td>
              <td className="num">{key.masked}</td>
              <td>{key.tradingview ? <span className="tag tag-tv">TradingView</span> : <span className="muted">signed</span>}</td>
              <td>{key.strategies.length ? key.strategies.join(', ') : <span className="muted">all strategies</span>}</td>
              <td>
                <Time iso={key.createdAt} />
              </td>
              <td>
                <Time iso={key.lastUsedAt} />
              </td>
              <td className="right nowrap">
                {confirming === key.id ? (
                  <>
                    <span className="text-bad small">Orders with this key will be refused. </span>
                    <button type="button" className="btn btn-small btn-danger" onClick={() => onRevoke(key)} data-testid={`key-revoke-confirm-${key.id}`}>
                      Revoke
                    </button>{' '}
                    <button type="button" className="btn btn-small btn-quiet" onClick={() => setConfirming(null)}>
                      Keep
                    </button>
                  </>
                ) : (
                  <button type="button" className="btn btn-small" onClick={() => setConfirming(key.id)} data-testid={`key-revoke-${key.id}`}>
                    Revoke…
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
