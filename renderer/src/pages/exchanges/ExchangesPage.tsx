import { useState } from 'react';
import { listExchanges } from '../../api/endpoints.js';
import { Notice } from '../../components/Notice.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useApi } from '../../engine/use-api.js';
import { normalizeExchangeAccounts } from '../../state/exchanges.js';
import { AddAccountForm } from './AddAccountForm.js';
import { ExchangeCard } from './ExchangeCard.js';

/** The exchange accounts live strategies trade on: each exchange's default account, then its named ones. */
export function ExchangesPage() {
  const exchanges = useApi(listExchanges, ['exchanges']);
  const accounts = normalizeExchangeAccounts(exchanges.data);
  const available = !exchanges.notAvailable && (exchanges.data !== null || !exchanges.loading);
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  return (
    <div className="page">
      <PageHeader title="Exchanges">
        <span className="muted small">Credentials live in the OS keychain; only live strategies use them</span>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="add-account-open"
          disabled={!available}
          onClick={() => {
            setAdded(null);
            setAdding(true);
          }}
        >
          Add an account
        </button>
      </PageHeader>
      {exchanges.notAvailable ? (
        <Notice tone="warning" testId="exchanges-unavailable">
          Exchange accounts are not available in this version of apisify (the engine has no <code>/api/exchanges</code>). Dry-run strategies work without them.
        </Notice>
      ) : exchanges.error ? (
        <Notice tone="error">{exchanges.error}</Notice>
      ) : null}
      {adding ? (
        <AddAccountForm
          accounts={accounts}
          available={available}
          onCancel={() => setAdding(false)}
          onSaved={(account) => {
            setAdding(false);
            setAdded(`Saved ${account.exchange} · ${account.account} to the keychain. Test the connection on its card below; a strategy uses it once the Strategies page allows it.`);
            exchanges.reload();
          }}
        />
      ) : null}
      {added ? (
        <Notice tone="success" testId="add-account-done">
          {added}
        </Notice>
      ) : null}
      <div className="exchange-grid">
        {accounts.map((account) => (
          <ExchangeCard key={`${account.exchange}/${account.account}`} account={account} available={available} onChanged={exchanges.reload} />
        ))}
      </div>
    </div>
  );
}
