import type { PreviewView } from '../../state/order-preview.js';

/** The engine's preview: its plan, the position it read, how it sized and protects the order, and each order exactly as it would be sent. */
export function OrderPreviewPanel({ view, body }: { view: PreviewView; body: Record<string, unknown> }) {
  return (
    <div className={`preview preview-${view.mode}`} data-testid="order-preview">
      <div className="preview-mode">{view.mode === 'live' ? 'LIVE — a real order' : 'DRY-RUN — simulated, nothing reaches the exchange'}</div>
      <p className="preview-headline" data-testid="preview-headline">
        {view.headline}
      </p>
      <p className="muted preview-market" data-testid="preview-market">
        {view.market}
      </p>
      {view.position ? (
        <p className="preview-position" data-testid="preview-position">
          {view.position}
        </p>
      ) : null}
      {view.sizing || view.protection || view.leverage || view.marginMode ? (
        <dl className="preview-shaping" data-testid="preview-shaping">
          {view.sizing ? (
            <>
              <dt>Size</dt>
              <dd data-testid="preview-sizing">{view.sizing}</dd>
            </>
          ) : null}
          {view.protection ? (
            <>
              <dt>Protection</dt>
              <dd data-testid="preview-protection">{view.protection}</dd>
            </>
          ) : null}
          {view.leverage ? (
            <>
              <dt>Leverage</dt>
              <dd data-testid="preview-leverage">{view.leverage}</dd>
            </>
          ) : null}
          {view.marginMode ? (
            <>
              <dt>Margin mode</dt>
              <dd data-testid="preview-margin-mode">{view.marginMode}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
      {view.legs.length > 0 ? (
        <div className="table-wrap preview-legs">
          <table className="grid" data-testid="preview-legs">
            <thead>
              <tr>
                <th>#</th>
                <th>Side</th>
                <th>Type</th>
                <th className="right">Amount</th>
                <th className="right">Price</th>
                <th>Reduce-only</th>
              </tr>
            </thead>
            <tbody>
              {view.legs.map((leg, index) => (
                <tr key={index}>
                  <td className="num muted">{index + 1}</td>
                  <td>
                    <span className={`side side-${leg.side}`}>{leg.side}</span>
                  </td>
                  <td>{leg.type}</td>
                  <td className="num right strong">{leg.amount}</td>
                  <td className="num right">{leg.price}</td>
                  <td>{leg.reduceOnly ? 'yes' : 'no'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="preview-nothing" data-testid="preview-nothing">
          No exchange order will be sent.
        </p>
      )}
      <ul className="preview-details">
        {view.notes.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <h3>Request (POST /api/orders, the same pipeline as /v1/order)</h3>
      <pre className="json">{JSON.stringify(body, null, 2)}</pre>
    </div>
  );
}
