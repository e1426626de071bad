import { useEffect, useState } from 'react';
import { messageOf } from '../../api/client.js';
import { getSettings, patchSettings } from '../../api/endpoints.js';
import { Field } from '../../components/Field.js';
import { Notice } from '../../components/Notice.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useApi } from '../../engine/use-api.js';
import { needsRestart, settingsChanges, type SettingsForm, settingsToForm } from '../../state/settings-form.js';

type NumberSetting = 'signatureWindowS' | 'orderWaitS' | 'exchangeTimeoutS' | 'duplicateWindowS' | 'keyRatePerSecond' | 'keyBurst' | 'addressRatePerSecond' | 'addressBurst';

/** The engine's settings; host and port apply on the next start, the rest at once. */
export function SettingsPage() {
  const settings = useApi(getSettings, ['settings']);
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [problem, setProblem] = useState<{ field: string | null; message: string } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (settings.data && !form) setForm(settingsToForm(settings.data));
  }, [settings.data, form]);

  if (!form || !settings.data) return <div className="page">{settings.error ? <Notice tone="error">{settings.error}</Notice> : <p className="muted">Loading…</p>}</div>;
  const original = settings.data;
  const set = (changes: Partial<SettingsForm>) => {
    setForm({ ...form, ...changes });
    setSaved(null);
  };
  const errorFor = (field: keyof SettingsForm) => (problem?.field === field ? problem.message : undefined);
  /** A number typed as text, checked on save like the server checks it. */
  const numberField = (name: NumberSetting, label: string, hint: string, inputMode: 'decimal' | 'numeric' = 'decimal') => (
    <Field label={label} error={errorFor(name)} hint={hint}>
      <input name={name} className="num" inputMode={inputMode} value={form[name]} onChange={(event) => set({ [name]: event.target.value })} />
    </Field>
  );

  const save = () => {
    const changes = settingsChanges(original, form);
    if (!changes.ok) return setProblem(changes);
    setProblem(null);
    if (Object.keys(changes.value).length === 0) return setSaved('Nothing changed.');
    setBusy(true);
    patchSettings(changes.value).then(
      (next) => {
        setBusy(false);
        setForm(settingsToForm(next));
        setSaved(needsRestart(changes.value) ? 'Saved. The new host and ports apply when apisify restarts; the rest applies now.' : 'Saved; applies now.');
        settings.reload();
      },
      (failure: unknown) => {
        setBusy(false);
        setProblem({ field: null, message: messageOf(failure) });
      },
    );
  };

  return (
    <div className="page">
      <PageHeader title="Settings" />
      <form
        className="settings"
        data-testid="settings-form"
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <section className="panel">
          <h2>Server</h2>
          <p className="small muted">Applied on restart.</p>
          <div className="form-grid">
            <Field label="Host" error={errorFor('host')} hint="127.0.0.1 keeps it on this computer; a tunnel reaches it from there">
              <input name="host" value={form.host} onChange={(event) => set({ host: event.target.value })} />
            </Field>
            <Field label="Port" error={errorFor('port')} hint="Default 8470">
              <input name="port" className="num" inputMode="numeric" value={form.port} onChange={(event) => set({ port: event.target.value })} />
            </Field>
            <Field label="Tunnel port" error={errorFor('tunnelPort')} hint="Default 8471, on 127.0.0.1 only: point the tunnel here. It serves /v1/order and nothing else">
              <input name="tunnelPort" className="num" inputMode="numeric" value={form.tunnelPort} onChange={(event) => set({ tunnelPort: event.target.value })} />
            </Field>
          </div>
        </section>
        <section className="panel">
          <h2>Public access</h2>
          <div className="form-grid">
            <Field label="Public URL" error={errorFor('publicUrl')} hint="A tunnel or reverse proxy's https URL; used for signatures, the Host allow-list and the webhook URL" wide>
              <input name="publicUrl" value={form.publicUrl} onChange={(event) => set({ publicUrl: event.target.value })} placeholder="https://…" />
            </Field>
            <label className="check">
              <input type="checkbox" name="trustProxyHeaders" checked={form.trustProxyHeaders} onChange={(event) => set({ trustProxyHeaders: event.target.checked })} /> Trust proxy headers
              (X-Forwarded-*) on the tunnel port, where only the tunnel connects
            </label>
            <label className="check">
              <input type="checkbox" name="tradingViewAddressCheck" checked={form.tradingViewAddressCheck} onChange={(event) => set({ tradingViewAddressCheck: event.target.checked })} /> Accept
              TradingView keys through the tunnel only from TradingView's webhook addresses
            </label>
          </div>
        </section>
        <section className="panel">
          <h2>Orders</h2>
          <div className="form-grid">
            {numberField('signatureWindowS', 'Signature window (s)', "How far a request's timestamp may be from now")}
            {numberField('orderWaitS', 'Order wait (s)', '/v1/order waits this long for the exchange, then answers 202')}
            {numberField('exchangeTimeoutS', 'Exchange timeout (s)', 'One exchange request may take this long; then the order is looked up by its client id')}
            {numberField('duplicateWindowS', 'Duplicate window (s)', 'An identical unsigned request within it is a TradingView resend')}
          </div>
        </section>
        <section className="panel">
          <h2>Rate limits</h2>
          <p className="small muted">Over a limit, /v1/order answers 429 with Retry-After and sends nothing. A rate of 0 turns that limit off.</p>
          <div className="form-grid">
            {numberField('keyRatePerSecond', 'Orders per second per API key', 'Sustained, after the key is authenticated')}
            {numberField('keyBurst', 'Burst per API key', 'How many at once beyond the rate', 'numeric')}
            {numberField('addressRatePerSecond', 'Requests per second per address', 'Before the body is read; behind a tunnel, per forwarded address only when proxy headers are trusted')}
            {numberField('addressBurst', 'Burst per address', 'How many at once beyond the rate', 'numeric')}
          </div>
        </section>
        <section className="panel">
          <h2>Notifications</h2>
          <label className="check">
            <input type="checkbox" name="notifications" checked={form.notifications} onChange={(event) => set({ notifications: event.target.checked })} /> Desktop notifications for filled,
            rejected and failed orders
          </label>
        </section>
        {problem && !(problem.field !== null && problem.field in form) ? <Notice tone="error">{problem.message}</Notice> : null}
        {saved ? <Notice tone="success" testId="settings-saved">{saved}</Notice> : null}
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="settings-save">
            Save settings
          </button>
          <button type="button" className="btn btn-quiet" onClick={() => setForm(settingsToForm(original))}>
            Revert
          </button>
        </div>
      </form>
    </div>
  );
}
