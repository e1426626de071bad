import { useState } from 'react';
import { ACCOUNT_NAME_HINT } from '../../../../shared/account-names.js';
import { EXCHANGE_NAMES, type ExchangeName } from '../../../../shared/exchange-names.js';
import { Field } from '../../components/Field.js';
import { type ExchangeAccount, newAccount, type NewAccountForm } from '../../state/exchanges.js';
import { ExchangeCard } from './ExchangeCard.js';

/**
 * Another account on an exchange (a sub-account, a second person's keys): its exchange and name
 * first, then the credentials on a card of its own, as every account has. It is listed once saved.
 */
export function AddAccountForm({ accounts, available, onSaved, onCancel }: { accounts: readonly ExchangeAccount[]; available: boolean; onSaved(account: ExchangeAccount): void; onCancel(): void }) {
  const [form, setForm] = useState<NewAccountForm>({ exchange: '', name: '' });
  const [invalid, setInvalid] = useState<{ field: keyof NewAccountForm; message: string } | null>(null);
  const [picked, setPicked] = useState<ExchangeAccount | null>(null);

  if (picked) {
    return (
      <div className="add-account" data-testid="add-account">
        <ExchangeCard account={picked} available={available} onChanged={() => onSaved(picked)} />
        <div className="actions">
          <button type="button" className="btn btn-quiet" onClick={() => setPicked(null)}>
            Back
          </button>
          <button type="button" className="btn btn-quiet" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </div>
    );
  }

  const next = () => {
    const checked = newAccount(form, accounts);
    if (!checked.ok) return setInvalid(checked);
    setInvalid(null);
    setPicked(checked.value);
  };

  return (
    <form
      className="panel form-grid add-account"
      data-testid="add-account"
      onSubmit={(event) => {
        event.preventDefault();
        next();
      }}
    >
      <h2 className="form-title">Add an account</h2>
      <Field label="Exchange" error={invalid?.field === 'exchange' ? invalid.message : undefined}>
        <select name="newAccountExchange" value={form.exchange} onChange={(event) => setForm({ ...form, exchange: event.target.value as ExchangeName | '' })}>
          <option value="">choose…</option>
          {EXCHANGE_NAMES.map((exchange) => (
            <option key={exchange} value={exchange}>
              {exchange}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Account name" error={invalid?.field === 'name' ? invalid.message : undefined} hint={`e.g. main, sub2, anna: ${ACCOUNT_NAME_HINT.replace(/^an account name: /, '')}. Orders pick it with their account field`}>
        <input name="newAccountName" value={form.name} onChange={(event) => setForm({ ...form, name: event.target.value })} autoComplete="off" spellCheck={false} />
      </Field>
      <div className="actions">
        <button type="submit" className="btn btn-primary" data-testid="add-account-next">
          Next: its API key
        </button>
        <button type="button" className="btn btn-quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
