import { CopyButton } from '../../components/CopyButton.js';
import { Notice } from '../../components/Notice.js';
import type { IssuedApiKey } from '../../state/api-types.js';

/**
 * The only time the secret is ever shown. A TradingView key's alerts send the API key alone (TradingView
 * cannot sign), so for it the key is all there is to copy.
 */
export function IssuedKey({ issued, label, onDone }: { issued: IssuedApiKey; label: string; onDone(): void }) {
  if (issued.tradingview) {
    return (
      <div className="panel issued" data-testid="issued-key">
        <h2>TradingView key “{label}” created</h2>
        <Notice tone="warning">Copy the key now: it goes in the alert message as "apikey", and whoever has it can place orders through your alerts' strategies. Keep the alert private.</Notice>
        <dl className="kv secret-kv">
          <dt>API key</dt>
          <dd>
            <code className="selectable" data-testid="issued-apikey">
              {issued.apikey}
            </code>
            <CopyButton text={issued.apikey} testId="copy-apikey" />
          </dd>
        </dl>
        <p className="muted small">Alerts need no timestamp, signature or secret. The TradingView page builds the message for you.</p>
        <div className="actions">
          <button type="button" className="btn" onClick={onDone} data-testid="issued-done">
            I have saved it
          </button>
        </div>
      </div>
    );
  }
  return (
    <div className="panel issued" data-testid="issued-key">
      <h2>Key “{label}” created</h2>
      <Notice tone="warning">Copy the key and its secret now: apisify keeps the secret only in the keychain and will not show it again.</Notice>
      <dl className="kv secret-kv">
        <dt>API key</dt>
        <dd>
          <code className="selectable" data-testid="issued-apikey">
            {issued.apikey}
          </code>
          <CopyButton text={issued.apikey} testId="copy-apikey" />
        </dd>
        <dt>Secret</dt>
        <dd>
          <code className="selectable" data-testid="issued-secret">
            {issued.secret}
          </code>
          <CopyButton text={issued.secret} testId="copy-secret" />
        </dd>
        <dt>Both</dt>
        <dd>
          <CopyButton text={JSON.stringify({ apikey: issued.apikey, secret: issued.secret })} label="Copy as JSON" />
        </dd>
      </dl>
      <div className="actions">
        <button type="button" className="btn" onClick={onDone} data-testid="issued-done">
          I have saved them
        </button>
      </div>
    </div>
  );
}
