import { useState } from 'react';
import { messageOf } from '../../api/client.js';
import { listStrategies, updateStrategy } from '../../api/endpoints.js';
import { Notice } from '../../components/Notice.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useApi } from '../../engine/use-api.js';
import type { StrategyOverview } from '../../state/api-types.js';
import { StrategiesTable } from './StrategiesTable.js';
import { StrategyForm } from './StrategyForm.js';

/** Strategies: what each may trade, live or dry-run, and what it did today. */
export function StrategiesPage() {
  const strategies = useApi(listStrategies, ['strategies'], { onOrders: true });
  const [editing, setEditing] = useState<StrategyOverview | 'new' | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);

  const toggle = (strategy: StrategyOverview) => {
    setBusy(strategy.name);
    updateStrategy(strategy.name, { enabled: !strategy.enabled }).then(
      (saved) => {
        setBusy(null);
        setMessage({ tone: 'success', text: `${saved.name} is ${saved.enabled ? 'enabled' : 'disabled'}.` });
        strategies.reload();
      },
      (failure: unknown) => {
        setBusy(null);
        setMessage({ tone: 'error', text: messageOf(failure) });
      },
    );
  };

  const live = (strategies.data ?? []).filter((strategy) => strategy.mode === 'live').length;
  return (
    <div className="page">
      <PageHeader title="Strategies">
        <span className="muted small">
          {strategies.data?.length ?? 0} strategies · <span className="text-live">{live} live</span>
        </span>
        <button type="button" className="btn btn-primary" data-testid="strategy-new" onClick={() => setEditing('new')}>
          New strategy
        </button>
      </PageHeader>
      {editing ? (
        <StrategyForm
          key={editing === 'new' ? 'new' : editing.id}
          editing={editing === 'new' ? null : editing}
          onDone={(saved) => {
            setEditing(null);
            if (saved) {
              setMessage({ tone: 'success', text: `Saved ${saved.name} (${saved.mode}).` });
              strategies.reload();
            }
          }}
        />
      ) : null}
      {message ? <Notice tone={message.tone}>{message.text}</Notice> : null}
      {strategies.error ? <Notice tone="error">{strategies.error}</Notice> : null}
      {strategies.data ? <StrategiesTable strategies={strategies.data} busy={busy} onEdit={setEditing} onToggle={toggle} /> : null}
    </div>
  );
}
