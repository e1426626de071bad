import { useState } from 'react';
import { apiKeyInputSchema, firstProblem } from '../../../../shared/ui-schemas.js';
import { messageOf } from '../../api/client.js';
import { createKey } from '../../api/endpoints.js';
import { Field } from '../../components/Field.js';
import { Notice } from '../../components/Notice.js';
import type { IssuedApiKey, StrategyOverview } from '../../state/api-types.js';

/** A new API key: a label, whether TradingView uses it, and which strategies it may trade. */
export function NewKeyForm({ strategies, onIssued }: { strategies: readonly StrategyOverview[]; onIssued(key: IssuedApiKey, label: string): void }) {
  const [label, setLabel] = useState('');
  const [tradingview, setTradingview] = useState(false);
  const [allowed, setAllowed] = useState<string[]>([]);
  const [everyStrategy, setEveryStrategy] = useState(false);
  const [signBody, setSignBody] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = () => {
    const parsed = apiKeyInputSchema.safeParse({ label, tradingview, strategies: everyStrategy ? [] : allowed, allStrategies: everyStrategy, signBody });
    if (!parsed.success) return setError(firstProblem(parsed.error).message);
    setBusy(true);
    setError(null);
    createKey(parsed.data).then(
      (issued) => {
        setBusy(false);
        onIssued(issued, parsed.data.label);
        setLabel('');
        setTradingview(false);
        setAllowed([]);
        setEveryStrategy(false);
        setSignBody(false);
      },
      (failure: unknown) => {
        setBusy(false);
        setError(messageOf(failure));
      },
    );
  };

  return (
    <form
      className="panel form-grid"
      data-testid="key-form"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <h2 className="form-title">New API key</h2>
      <Field label="Label" hint="What uses it, e.g. “grid bot on VPS”">
        <input name="label" value={label} onChange={(event) => setLabel(event.target.value)} autoComplete="off" />
      </Field>
      <Field label="TradingView key" group hint={tradingview ? 'Accepted without timestamp and signature: keep the alert private' : 'Requests must be signed with the secret'}>
        <label className="check">
          <input type="checkbox" name="tradingview" checked={tradingview} onChange={(event) => setTradingview(event.target.checked)} /> Used by TradingView alerts
        </label>
      </Field>
      <Field label="Signature covers the body" hint={signBody ? 'A captured signature cannot carry another order; see the README for how to sign' : "The spec's signature: timestamp and URL only"}>
        <label className="check">
          <input type="checkbox" name="signBody" checked={signBody} onChange={(event) => setSignBody(event.target.checked)} /> Sign the body too (beyond the spec)
        </label>
      </Field>
      <Field label="May trade" hint={tradingview ? 'A TradingView key needs an answer: tick its strategies, or every strategy' : 'None ticked: every strategy'} wide group>
        <div className="checks">
          <label className="check">
            <input type="checkbox" name="allStrategies" checked={everyStrategy} onChange={(event) => setEveryStrategy(event.target.checked)} /> Every strategy, now and later
          </label>
          {strategies.map((strategy) => (
            <label key={strategy.id} className="check">
              <input
                type="checkbox"
                name={`strategy-${strategy.name}`}
                disabled={everyStrategy}
                checked={!everyStrategy && allowed.includes(strategy.name)}
                onChange={(event) => setAllowed(event.target.checked ? [...allowed, strategy.name] : allowed.filter((name) => name !== strategy.name))}
              />{' '}
              {strategy.name} <span className={strategy.mode === 'live' ? 'text-live small' : 'muted small'}>{strategy.mode}</span>
            </label>
          ))}
        </div>
      </Field>
      {error ? <Notice tone="error">{error}</Notice> : null}
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="key-create">
          Create key
        </button>
      </div>
    </form>
  );
}
