import { useEffect, useState } from 'react';
import { hostWarning, SETTING_FIELDS, settingCaption, type SettingField, type SettingName } from '../../../../shared/settings-fields.js';
import { messageOf } from '../../api/client.js';
import { getSettings, patchSettings } from '../../api/endpoints.js';
import { Field } from '../../components/Field.js';
import { Notice } from '../../components/Notice.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useApi } from '../../engine/use-api.js';
import { needsRestart, settingsChanges, type SettingsForm, settingsToForm } from '../../state/settings-form.js';

/** The page's sections, each a list of settings by name. */
const SECTIONS: readonly { title: string; note?: string; names: readonly SettingName[] }[] = [
  { title: 'Server', note: 'Applied on restart.', names: ['host', 'port', 'tunnelPort'] },
  { title: 'Public access', names: ['publicUrl', 'trustProxyHeaders', 'tradingViewAddressCheck'] },
  { title: 'Orders', names: ['signatureWindowMs', 'orderWaitMs', 'exchangeTimeoutMs', 'duplicateWindowMs'] },
  { title: 'Rate limits', note: 'Over a limit, /v1/order answers 429 with Retry-After and sends nothing. A rate of 0 turns that limit off.', names: ['keyRatePerSecond', 'keyBurst', 'addressRatePerSecond', 'addressBurst'] },
  { title: 'Display and notifications', names: ['timeZone', 'notifications'] },
];

function fieldNamed(name: SettingName): SettingField {
  return SETTING_FIELDS.find((field) => field.name === name) as SettingField;
}

/** The hint, then the name `apisify settings set` knows it by. */
function Hint({ field }: { field: SettingField }) {
  return (
    <>
      {field.hint} · <code className="setting-name">{field.name}</code>
    </>
  );
}

/** The engine's settings, by the names and units the CLI and the README use; host and port apply on the next start, the rest at once. */
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
  const set = (name: SettingName, value: string | boolean) => {
    setForm({ ...form, [name]: value });
    setSaved(null);
    if (problem?.field === name) setProblem(null);
  };
  const errorFor = (name: SettingName) => (problem?.field === name ? problem.message : undefined);
  const warning = hostWarning(String(form.host));

  const control = (field: SettingField) => {
    const value = form[field.name];
    if (field.kind === 'switch') {
      return (
        <div key={field.name} className="field field-wide">
          <label className="check">
            <input type="checkbox" name={field.name} checked={value === true} onChange={(event) => set(field.name, event.target.checked)} /> {field.label}
          </label>
          <span className="field-hint">
            <Hint field={field} />
          </span>
        </div>
      );
    }
    if (field.kind === 'choice') {
      return (
        <Field key={field.name} label={settingCaption(field)} error={errorFor(field.name)} hint={<Hint field={field} />}>
          <select name={field.name} value={String(value)} onChange={(event) => set(field.name, event.target.value)}>
            {field.choices?.map((choice) => (
              <option key={choice} value={choice}>
                {choice === 'utc' ? 'UTC' : 'this computer’s time zone'}
              </option>
            ))}
          </select>
        </Field>
      );
    }
    const numeric = field.kind !== 'text' && field.kind !== 'url';
    return (
      <Field key={field.name} label={settingCaption(field)} error={errorFor(field.name)} hint={<Hint field={field} />} wide={field.kind === 'url'}>
        <input
          name={field.name}
          className={numeric ? 'num' : undefined}
          inputMode={numeric ? (field.kind === 'rate' ? 'decimal' : 'numeric') : undefined}
          placeholder={field.kind === 'url' ? 'https://…' : undefined}
          value={String(value)}
          onChange={(event) => set(field.name, event.target.value)}
        />
      </Field>
    );
  };

  const save = () => {
    setSaved(null);
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
        {SECTIONS.map((section) => (
          <section key={section.title} className="panel">
            <h2>{section.title}</h2>
            {section.note ? <p className="small muted">{section.note}</p> : null}
            <div className="form-grid">{section.names.map((name) => control(fieldNamed(name)))}</div>
            {section.names.includes('host') && warning ? (
              <Notice tone="warning" testId="host-warning">
                {warning}
              </Notice>
            ) : null}
          </section>
        ))}
        {problem && !(problem.field !== null && problem.field in form) ? <Notice tone="error">{problem.message}</Notice> : null}
        {saved ? <Notice tone="success" testId="settings-saved">{saved}</Notice> : null}
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="settings-save">
            Save settings
          </button>
          <button
            type="button"
            className="btn btn-quiet"
            onClick={() => {
              setForm(settingsToForm(original));
              setProblem(null);
              setSaved(null);
            }}
          >
            Revert
          </button>
        </div>
      </form>
    </div>
  );
}
