import { useMemo, useState } from 'react';
import { messageOf } from '../../api/client.js';
import { getPnl, listStrategies, removeStrategy, updateStrategy } from '../../api/endpoints.js';
import { Notice } from '../../components/Notice.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useApi } from '../../engine/use-api.js';
import type { StrategyOverview } from '../../state/api-types.js';
import { countOf } from '../../state/plural.js';
import { StrategiesTable } from './StrategiesTable.js';
import { StrategyDetail } from './StrategyDetail.js';
import { StrategyForm } from './StrategyForm.js';

type Message = { tone: 'error' | 'success'; text: string };

/** Strategies: what each may trade, live or dry-run, and what it did today. */
export function StrategiesPage() {
  const strategies = useApi(listStrategies, ['strategies'], { onOrders: true });
  // Fills move it: reloaded as orders change, like the counters.
  const pnl = useApi(() => getPnl(), ['strategies'], { onOrders: true });
  const pnlByName = useMemo(() => new Map((pnl.data?.strategies ?? []).map((item) => [item.strategy, item])), [pnl.data]);
  const [detail, setDetail] = useState<string | null>(null);
  const [editing, setEditing] = useState<StrategyOverview | 'new' | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  // One message at a time, about the last action: the next action clears it.
  const [message, setMessage] = useState<Message | null>(null);

  const act = (strategy: StrategyOverview, action: () => Promise<string>) => {
    setBusy(strategy.name);
    setMessage(null);
    action().then(
      (text) => {
        setBusy(null);
        setMessage({ tone: 'success', text });
        strategies.reload();
      },
      (failure: unknown) => {
        setBusy(null);
        setMessage({ tone: 'error', text: messageOf(failure) });
      },
    );
  };

  const toggle = (strategy: StrategyOverview) =>
    act(strategy, () => updateStrategy(strategy.name, { enabled: !strategy.enabled }).then((saved) => `${saved.name} is ${saved.enabled ? 'enabled' : 'disabled'}.`));

  const remove = (strategy: StrategyOverview) => {
    const question = `Remove strategy ${strategy.name}? Orders naming it are refused from then on; its orders stay in the journal.${strategy.mode === 'dry-run' ? ' Its simulated positions are dropped.' : ''}`;
    if (!window.confirm(question)) return;
    if (editing !== null && editing !== 'new' && editing.name === strategy.name) setEditing(null);
    if (detail === strategy.name) setDetail(null);
    act(strategy, () => removeStrategy(strategy.name).then((removed) => `Removed ${removed.name}; its orders stay in the journal.`));
  };

  const all = strategies.data ?? [];
  const detailOf = all.find((strategy) => strategy.name === detail) ?? null;
  const live = all.filter((strategy) => strategy.mode === 'live').length;
  return (
    <div className="page">
      <PageHeader title="Strategies">
        <span className="muted small" data-testid="strategies-count">
          {countOf(all.length, 'strategy', 'strategies')} · {live > 0 ? <span className="text-live">{live} live</span> : 'none live'}
        </span>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="strategy-new"
          onClick={() => {
            setMessage(null);
            setEditing('new');
          }}
        >
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
      {message ? (
        <Notice tone={message.tone} testId="strategies-message">
          {message.text}
        </Notice>
      ) : null}
      {strategies.error ? <Notice tone="error">{strategies.error}</Notice> : null}
      {detailOf ? <StrategyDetail key={detailOf.name} strategy={detailOf} onClose={() => setDetail(null)} /> : null}
      {strategies.data ? (
        <StrategiesTable
          strategies={strategies.data}
          pnl={pnlByName}
          open={detail}
          onOpen={(strategy) => setDetail(detail === strategy.name ? null : strategy.name)}
          busy={busy}
          onEdit={(strategy) => {
            setMessage(null);
            setEditing(strategy);
          }}
          onToggle={toggle}
          onRemove={remove}
        />
      ) : null}
    </div>
  );
}
