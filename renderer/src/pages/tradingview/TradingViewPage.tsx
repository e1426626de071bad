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
import type { StrategyOverview } from '../../state/api-types.js';
import { type AlertOptions, alertMessage, alertProblem, alertWarnings, explainAlert, keyMatchesMasked, protectionAllowed, reduceOnlyAllowed } from '../../state/alert-message.js';
import { type AlertShaping, AlertShapingFields, DEFAULT_ALERT_SHAPING, sizingOf } from './AlertShapingFields.js';
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
  const [shaping, setShaping] = useState<AlertShaping>(DEFAULT_ALERT_SHAPING);

  const strategy = (strategies.data ?? []).find((item) => item.name === strategyName) ?? strategies.data?.[0] ?? null;
  const tvKeys = (keys.data ?? []).filter((key) => key.tradingview);
  const key = tvKeys.find((item) => String(item.id) === keyId) ?? tvKeys[0] ?? null;
  const exchangeChoices = strategy && strategy.exchanges.length > 0 ? strategy.exchanges : EXCHANGE_NAMES;
  const chosenExchange = exchangeChoices.find((name) => name === exchange) ?? exchangeChoices[0] ?? 'bybit';
  const url = status ? webhookUrl(status) : '';
  const unreachable = status ? webhookProblem(url) : null;
  const options: AlertOptions | null = strategy ? alertOptions(strategy, shaping, { exchange: chosenExchange, orderType, apikey: pasted, symbol }) : null;
  const message = options ? alertMessage(options) : '';
  const problem = options ? alertProblem(message) : null;
  const warnings = options ? alertWarnings(options) : [];
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
        {unreachable ? <Notice tone="warning">{unreachable}</Notice> : <p className="small muted">Paste it into the alert's “Webhook URL” notification.</p>}
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
          {strategy ? <AlertShapingFields shaping={shaping} strategy={strategy} onChange={(changes) => setShaping((current) => ({ ...current, ...changes }))} /> : null}
        </div>
        {allowed ? <Notice tone="warning">This key may not trade {strategy?.name}; the engine will refuse its alerts.</Notice> : null}
        {problem ? (
          <Notice tone="error" testId="alert-problem">
            Once TradingView fills it in, the engine would refuse this message: {problem}
          </Notice>
        ) : null}
        {warnings.map((warning) => (
          <Notice key={warning} tone="warning" testId="alert-warning">
            {warning}
          </Notice>
        ))}
        {strategy ? <CodeBlock text={message} testId="alert-message" copyLabel="Copy message" /> : null}
        {options ? (
          <dl className="alert-explained" data-testid="alert-explained">
            {explainAlert(options).map((line) => (
              <div key={line.field}>
                <dt>{line.field}</dt>
                <dd>{line.text}</dd>
              </div>
            ))}
          </dl>
        ) : null}
        <p className="small muted">
          TradingView fills in each <code>{'{{…}}'}</code> placeholder when the alert fires. {strategy?.mode === 'dry-run' ? 'Dry-run fills at {{close}}.' : ''} Keep the message private: the key alone places orders.
        </p>
      </section>
    </div>
  );
}

/** The page's choices as the message generator takes them: only what the chosen sizing and market allow. */
function alertOptions(strategy: StrategyOverview, shaping: AlertShaping, chosen: { exchange: string; orderType: 'Market' | 'Limit'; apikey: string; symbol: string }): AlertOptions {
  const sizing = sizingOf(shaping);
  const protects = protectionAllowed(sizing, shaping.reduceOnly, strategy.marketType);
  const reduceOnly = reduceOnlyAllowed(sizing, strategy.marketType) && shaping.reduceOnly;
  return {
    strategy: strategy.name,
    ...chosen,
    includePrice: strategy.mode === 'dry-run' || chosen.orderType === 'Limit',
    sizing,
    strategyQtyUnit: strategy.qtyUnit,
    strategyMaxLeverage: strategy.maxLeverage,
    strategyMaxLag: strategy.maxLag,
    ...(protects ? { stopLoss: shaping.stopLoss, takeProfit: shaping.takeProfit } : {}),
    ...(strategy.marketType !== 'spot' ? { leverage: shaping.leverage } : {}),
    maxLag: shaping.maxLag,
    reduceOnly,
  };
}
