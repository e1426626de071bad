import type { OrderPreview } from '../../state/order-preview.js';

/** What the order will do, in words, and the exact request, before the confirm. */
export function OrderPreviewPanel({ preview, body }: { preview: OrderPreview; body: Record<string, unknown> }) {
  return (
    <div className={`preview preview-${preview.mode}`} data-testid="order-preview">
      <div className="preview-mode">{preview.mode === 'live' ? 'LIVE — a real order' : preview.mode === 'dry-run' ? 'DRY-RUN — simulated, nothing reaches the exchange' : 'Unknown strategy'}</div>
      <p className="preview-headline" data-testid="preview-headline">
        {preview.headline}
      </p>
      <ul className="preview-details">
        {preview.details.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      {preview.dependsOnPosition ? <p className="muted small">The exact amount is decided by the engine from the position when the order runs; the result shows the plan it made.</p> : null}
      {preview.warnings.length > 0 ? (
        <ul className="preview-warnings">
          {preview.warnings.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : null}
      <h3>Request (POST /api/orders, the same pipeline as /v1/order)</h3>
      <pre className="json">{JSON.stringify(body, null, 2)}</pre>
    </div>
  );
}
