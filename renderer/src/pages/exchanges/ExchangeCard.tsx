import { DEFAULT_ACCOUNT } from '../../../../shared/account-names.js';
import { useState } from 'react';
import { ApiFailure, messageOf } from '../../api/client.js';
import { removeExchange, saveExchange, testExchange } from '../../api/endpoints.js';
import { Field } from '../../components/Field.js';
import { Notice } from '../../components/Notice.js';
import { Time } from '../../components/Time.js';
import { type CredentialsForm, credentialsBody, describeTestResult, type ExchangeAccount } from '../../state/exchanges.js';

type Message = { tone: 'error' | 'success' | 'warning'; text: string };

function failureMessage(failure: unknown, what: string): Message {
  if (failure instanceof ApiFailure && failure.notAvailable) return { tone: 'warning', text: `${what} is not available in this version of apisify.` };
  return { tone: 'error', text: messageOf(failure) };
}

/** One exchange account: its stored credentials (the key masked, never the secret), replace, remove, test. */
export function ExchangeCard({ account, available, onChanged }: { account: ExchangeAccount; available: boolean; onChanged(): void }) {
  const [form, setForm] = useState<CredentialsForm>({ apiKey: '', secret: '', baseUrl: account.baseUrl ?? '' });
  const [invalid, setInvalid] = useState<{ field: keyof CredentialsForm; message: string } | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [busy, setBusy] = useState<'save' | 'remove' | 'test' | null>(null);
  const set = (changes: Partial<CredentialsForm>) => setForm((current) => ({ ...current, ...changes }));
  const testnet = account.exchange.endsWith('_testnet');
  const named = account.account !== DEFAULT_ACCOUNT;
  const title = named ? `${account.exchange} · ${account.account}` : account.exchange;
  const testId = named ? `${account.exchange}-${account.account}` : account.exchange;

  const save = () => {
    // Each action's message replaces the last one's, so nothing on screen is about an earlier action.
    setMessage(null);
    const body = credentialsBody(form);
    if (!body.ok) return setInvalid(body);
    setInvalid(null);
    setBusy('save');
    saveExchange(account, body.value).then(
      () => {
        setBusy(null);
        setForm({ apiKey: '', secret: '', baseUrl: body.value.baseUrl ?? '' });
        setMessage({ tone: 'success', text: 'Saved to the keychain. Test the connection to be sure.' });
        onChanged();
      },
      (failure: unknown) => {
        setBusy(null);
        setMessage(failureMessage(failure, 'Saving exchange credentials'));
      },
    );
  };

  const remove = () => {
    if (!window.confirm(`Remove the ${title} credentials? Live strategies trading on it will be refused until new ones are set.`)) return;
    setMessage(null);
    setBusy('remove');
    removeExchange(account).then(
      () => {
        setBusy(null);
        setMessage({ tone: 'success', text: 'Removed.' });
        onChanged();
      },
      (failure: unknown) => {
        setBusy(null);
        setMessage(failureMessage(failure, 'Removing exchange credentials'));
      },
    );
  };

  const test = () => {
    setBusy('test');
    setMessage(null);
    testExchange(account).then(
      (answer) => {
        setBusy(null);
        const result = describeTestResult(answer);
        setMessage({ tone: result.ok ? 'success' : 'error', text: result.message });
      },
      (failure: unknown) => {
        setBusy(null);
        setMessage(failureMessage(failure, 'Testing the connection'));
      },
    );
  };

  return (
    <form
      className={`panel exchange-card${account.configured ? ' configured' : ''}`}
      data-testid={`exchange-${testId}`}
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <header className="exchange-head">
        <h2>{title}</h2>
        {testnet ? <span className="tag">test environment</span> : <span className="tag tag-live">real money</span>}
        <span className={account.configured ? 'text-good small' : 'muted small'}>
          {account.configured ? `set · key ${account.apiKeyMasked ?? '(masked)'}` : 'not set'}
        </span>
      </header>
      {account.baseUrl || account.updatedAt ? (
        <p className="small muted">
          {account.baseUrl ? `Base URL: ${account.baseUrl}` : "The exchange's own API"}
          {account.updatedAt ? (
            <>
              {' · set '}
              <Time iso={account.updatedAt} />
            </>
          ) : null}
        </p>
      ) : null}
      {account.note ? <p className="small muted">{account.note}</p> : null}
      <fieldset disabled={!available || busy !== null}>
        <div className="form-grid">
          <Field label="API key" error={invalid?.field === 'apiKey' ? invalid.message : undefined}>
            <input name="apiKey" value={form.apiKey} onChange={(event) => set({ apiKey: event.target.value })} autoComplete="off" spellCheck={false} placeholder={account.configured ? 'enter to replace' : ''} />
          </Field>
          <Field label="Secret" error={invalid?.field === 'secret' ? invalid.message : undefined} hint="Stored in the keychain; never shown again">
            <input name="secret" type="password" value={form.secret} onChange={(event) => set({ secret: event.target.value })} autoComplete="new-password" spellCheck={false} />
          </Field>
          <Field label="Base URL (optional)" error={invalid?.field === 'baseUrl' ? invalid.message : undefined} hint="A proxy or regional domain; empty: the exchange's own" wide>
            <input name="baseUrl" value={form.baseUrl} onChange={(event) => set({ baseUrl: event.target.value })} autoComplete="off" spellCheck={false} />
          </Field>
        </div>
        <div className="actions">
          <button type="submit" className="btn btn-primary">
            {account.configured ? 'Replace credentials' : 'Save'}
          </button>
          <button type="button" className="btn" onClick={test} disabled={!account.configured} data-testid={`exchange-test-${testId}`}>
            {busy === 'test' ? 'Testing…' : 'Test connection'}
          </button>
          {account.configured ? (
            <button type="button" className="btn btn-quiet" onClick={remove}>
              Remove
            </button>
          ) : null}
        </div>
      </fieldset>
      {message ? <Notice tone={message.tone}>{message.text}</Notice> : null}
    </form>
  );
}
