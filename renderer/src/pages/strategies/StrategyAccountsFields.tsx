import { DEFAULT_ACCOUNT } from '../../../../shared/account-names.js';
import { listExchanges } from '../../api/endpoints.js';
import { Field } from '../../components/Field.js';
import { useApi } from '../../engine/use-api.js';
import { normalizeExchangeAccounts } from '../../state/exchanges.js';
import { accountRows, addAccount, makeDefault, removeAccount } from '../../state/strategy-accounts.js';
import type { StrategyForm } from '../../state/strategy-form.js';

/**
 * The accounts the strategy may use on each exchange it trades on, from those set up on the Exchanges
 * page, in order: orders go to the first unless their account field names another it allows.
 */
export function StrategyAccountsFields({ form, error, onChange }: { form: StrategyForm; error: string | undefined; onChange(changes: Partial<StrategyForm>): void }) {
  const exchanges = useApi(listExchanges, ['exchanges']);
  const rows = accountRows(form.exchanges, normalizeExchangeAccounts(exchanges.data), form.accounts);
  const set = (accounts: StrategyForm['accounts']) => onChange({ accounts });
  return (
    <Field
      label="Accounts"
      error={error}
      hint={rows.length === 0 ? "Each exchange's default account (add more accounts on the Exchanges page to choose here)" : "Orders go to the first account of each exchange unless their account field names another listed here; none listed: the exchange's default account"}
      wide
      group
    >
      <div className="strategy-accounts" data-testid="strategy-accounts">
        {rows.map((row) => (
          <div key={row.exchange} className="strategy-accounts-row" data-testid={`strategy-accounts-${row.exchange}`}>
            <span className="strategy-accounts-exchange">{row.exchange}</span>
            <ol className="account-chips">
              {row.chosen.length === 0 ? <li className="muted small">{DEFAULT_ACCOUNT} (none named)</li> : null}
              {row.chosen.map((choice, index) => (
                <li key={choice.name} className="account-chip" data-testid={`strategy-account-${row.exchange}-${choice.name}`}>
                  <span className="account-chip-name">{choice.name}</span>
                  {index === 0 ? <span className="tag">default</span> : null}
                  {choice.configured ? null : (
                    <span className="text-warn small" title="No credentials are saved for it: its orders are refused until it is set up on the Exchanges page">
                      not set up
                    </span>
                  )}
                  {index > 0 ? (
                    <button type="button" className="btn btn-small btn-quiet" onClick={() => set(makeDefault(form.accounts, row.exchange, choice.name))} aria-label={`Make ${choice.name} the default on ${row.exchange}`}>
                      Make default
                    </button>
                  ) : null}
                  <button type="button" className="btn btn-small btn-quiet" onClick={() => set(removeAccount(form.accounts, row.exchange, choice.name))} aria-label={`Remove ${choice.name} from ${row.exchange}`}>
                    ✕
                  </button>
                </li>
              ))}
            </ol>
            {row.addable.length > 0 ? (
              <select
                name={`accounts-${row.exchange}`}
                value=""
                aria-label={`Add a ${row.exchange} account`}
                onChange={(event) => {
                  if (event.target.value) set(addAccount(form.accounts, row.exchange, event.target.value));
                }}
              >
                <option value="">add an account…</option>
                {row.addable.map((choice) => (
                  <option key={choice.name} value={choice.name}>
                    {choice.name}
                    {choice.configured ? '' : ' (not set up)'}
                  </option>
                ))}
              </select>
            ) : null}
          </div>
        ))}
      </div>
    </Field>
  );
}
