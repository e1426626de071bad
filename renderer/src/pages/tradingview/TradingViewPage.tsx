import { useState } from 'react';
import { EXCHANGE_NAMES } from '../../../../shared/exchange-names.js';
import { listKeys, listStrategies } from '../../api/endpoints.js';
import { CodeBlock } from '../../components/CodeBlock.js';
import { Field } from '../../components/Field.js';
import { Link } from '../../components/Link.js';
import { ModeBadge } from '../../components/ModeBadge.js';
import { Notice } from '../../components/Notice.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useEngine } from '../../engine/EngineProvider.js';
import { useApi } from '../../engine/use-api.js';
import { alertMessage, keyMatchesMasked } from '../../state/alert-message.js';
import { webhookProblem, webhookUrl } from '../../state/webhook-url.js';

/** Everything a TradingView alert needs: the webhook URL and a ready message for a strategy and key. */
export function TradingViewPage() {
  const { status } = useEngine();
  const strategies = useApi(listStrategies, ['strategies']);
  const keys = useApi(listKeys, ['keys']);
  const [strategyName, setStrategyName] = useState('');
  const [keyId, setKeyId] = useState('');
  const [pasted, setPasted] = useState('');
  const [exchange, setExchange] = useState('');
  const [orderType, setOrderType] = useState<'Market' | 'Limit'>('Market');
  const [symbol, setSymbol] = useState('');

  const strategy = (strategies.data ?? []).find((item) => item.name === strategyName) ?? strategies.data?.[0] ?? null;
  const tvKeys = (keys.data ?? []).filter((key) => key.tradingview);
  const key = tvKeys.find((item) => String(item.id) === keyId) ?? tvKeys[0] ?? null;
  const exchangeChoices = strategy && strategy.exchanges.length > 0 ? strategy.exchanges : EXCHANGE_NAMES;
  const chosenExchange = exchangeChoices.find((name) => name === exchange) ?? exchangeChoices[0] ?? 'bybit';
  const url = status ? webhookUrl(status) : '';
  const problem = status ? webhookProblem(url) : null;
  const message = strategy
    ? alertMessage({ strategy: strategy.name, exchange: chosenExchange, orderType, apikey: pasted, symbol, includePrice: strategy.mode === 'dry-run' || orderType === 'Limit' })
    : '';
  const mismatch = key && pasted.trim() !== '' && !keyMatchesMasked(pasted, key.masked);
  const allowed = key && strategy && key.strategies.length > 0 && !key.strategies.includes(strategy.name);

  return (
    <div className="page">
      <PageHeader title="TradingView">
        <span className="muted small">Alerts post JSON to the webhook URL with a TradingView key</span>
      </PageHeader>
      <section className="panel">
        <h2>1. Webhook URL</h2>
        <CodeBlock text={url} testId="webhook-url" copyLabel="Copy URL" />
        {problem ? <Notice tone="warning">{problem}</Notice> : <p className="small muted">Paste it into the alert's “Webhook URL” notification.</p>}
      </section>
      <section className="panel">
        <h2>2. Alert message</h2>
        <div className="form-grid">
          <Field label="Strategy" hint={strategy ? <ModeBadge dryRun={strategy.mode === 'dry-run'} /> : undefined}>
            <select name="tv-strategy" value={strategy?.name ?? ''} onChange={(event) => setStrategyName(event.target.value)}>
              {(strategies.data ?? []).map((item) => (
                <option key={item.id} value={item.name}>
                  {item.name} ({item.mode})
                </option>
              ))}
            </select>
          </Field>
          <Field label="Exchange">
            <select name="tv-exchange" value={chosenExchange} onChange={(event) => setExchange(event.target.value)}>
              {exchangeChoices.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Order type" hint={orderType === 'Limit' ? 'Limit at the bar close ({{close}})' : 'Market'}>
            <select name="tv-order-type" value={orderType} onChange={(event) => setOrderType(event.target.value === 'Limit' ? 'Limit' : 'Market')}>
              <option value="Market">Market</option>
              <option value="Limit">Limit</option>
            </select>
          </Field>
          <Field label="Symbol" hint="Empty: {{ticker}}, the chart's symbol (BTCUSDT.P works)">
            <input name="tv-symbol" value={symbol} onChange={(event) => setSymbol(event.target.value)} placeholder="{{ticker}}" autoComplete="off" spellCheck={false} />
          </Field>
          <Field label="TradingView key" hint={key ? `Masked: ${key.masked}` : undefined}>
            {tvKeys.length > 0 ? (
              <select name="tv-key" value={key ? String(key.id) : ''} onChange={(event) => setKeyId(event.target.value)}>
                {tvKeys.map((item) => (
                  <option key={item.id} value={String(item.id)}>
                    {item.label} ({item.masked})
                  </option>
                ))}
              </select>
            ) : (
              <span className="muted">
                No TradingView key yet: create one on <Link to="keys">API keys</Link> with “Used by TradingView alerts”.
              </span>
            )}
          </Field>
          <Field label="Paste that key" hint="The full key is never readable again; paste the one you saved when you created it" error={mismatch ? `This is not the key ${key?.masked}` : undefined}>
            <input name="tv-apikey" value={pasted} onChange={(event) => setPasted(event.target.value)} autoComplete="off" spellCheck={false} placeholder="ak_…" />
          </Field>
        </div>
        {allowed ? <Notice tone="warning">This key may not trade {strategy?.name}; the engine will refuse its alerts.</Notice> : null}
        {strategy ? <CodeBlock text={message} testId="alert-message" copyLabel="Copy message" /> : null}
        <p className="small muted">
          TradingView fills in <code>{'{{strategy.order.action}}'}</code> (buy/sell), <code>{'{{strategy.order.contracts}}'}</code>, <code>{'{{ticker}}'}</code> and{' '}
          <code>{'{{close}}'}</code> when the alert fires. {strategy?.mode === 'dry-run' ? 'Dry-run fills at {{close}}.' : ''} Keep the message private: the key alone places orders.
        </p>
      </section>
    </div>
  );
}
