import { listExchanges } from '../../api/endpoints.js';
import { Notice } from '../../components/Notice.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useApi } from '../../engine/use-api.js';
import { normalizeExchangeAccounts } from '../../state/exchanges.js';
import { ExchangeCard } from './ExchangeCard.js';

/** The exchange accounts live strategies trade on. */
export function ExchangesPage() {
  const exchanges = useApi(listExchanges, ['exchanges']);
  const accounts = normalizeExchangeAccounts(exchanges.data);
  return (
    <div className="page">
      <PageHeader title="Exchanges">
        <span className="muted small">Credentials live in the OS keychain; only live strategies use them</span>
      </PageHeader>
      {exchanges.notAvailable ? (
        <Notice tone="warning" testId="exchanges-unavailable">
          Exchange accounts are not available in this version of apisify (the engine has no <code>/api/exchanges</code>). Dry-run strategies work without them.
        </Notice>
      ) : exchanges.error ? (
        <Notice tone="error">{exchanges.error}</Notice>
      ) : null}
      <div className="exchange-grid">
        {accounts.map((account) => (
          <ExchangeCard key={`${account.exchange}/${account.account}`} account={account} available={!exchanges.notAvailable && (exchanges.data !== null || !exchanges.loading)} onChanged={exchanges.reload} />
        ))}
      </div>
    </div>
  );
}
