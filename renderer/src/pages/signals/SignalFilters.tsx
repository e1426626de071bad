import { isSignalOutcome } from '../../../../shared/signal-view.js';
import { NO_SIGNAL_FILTER, type SignalFilter } from '../../state/signal-filter.js';

/** Outcome and strategy. The strategy is typed (suggested from the strategies there are): a refusal may name one that does not exist. */
export function SignalFilters({ filter, strategies, onChange }: { filter: SignalFilter; strategies: readonly string[]; onChange(filter: SignalFilter): void }) {
  const set = (changes: Partial<SignalFilter>) => onChange({ ...filter, ...changes });
  return (
    <div className="filters" role="search">
      <select aria-label="Outcome" data-testid="signal-filter-outcome" value={filter.outcome} onChange={(event) => set({ outcome: isSignalOutcome(event.target.value) ? event.target.value : '' })}>
        <option value="">Accepted and refused</option>
        <option value="accepted">Accepted</option>
        <option value="refused">Refused</option>
      </select>
      <input
        type="search"
        aria-label="Strategy"
        data-testid="signal-filter-strategy"
        placeholder="Strategy (exact name)"
        list="signal-strategies"
        value={filter.strategy}
        onChange={(event) => set({ strategy: event.target.value })}
      />
      <datalist id="signal-strategies">
        {strategies.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      <button type="button" className="btn btn-small btn-quiet" onClick={() => onChange(NO_SIGNAL_FILTER)}>
        Clear
      </button>
    </div>
  );
}
