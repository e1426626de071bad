import { EXCHANGE_NAMES } from '../../../../shared/exchange-names.js';
import { ORDER_STATUSES } from '../../../../shared/order-view.js';
import { isOrderStatus, NO_FILTER, type OrderFilter } from '../../state/order-filter.js';

/** Strategy, exchange, status and free text; "any" is the empty choice. */
export function OrderFilters({ filter, strategies, onChange }: { filter: OrderFilter; strategies: readonly string[]; onChange(filter: OrderFilter): void }) {
  const set = (changes: Partial<OrderFilter>) => onChange({ ...filter, ...changes });
  return (
    <div className="filters" role="search">
      <select aria-label="Strategy" data-testid="filter-strategy" value={filter.strategy} onChange={(event) => set({ strategy: event.target.value })}>
        <option value="">All strategies</option>
        {strategies.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
      <select aria-label="Exchange" data-testid="filter-exchange" value={filter.exchange} onChange={(event) => set({ exchange: event.target.value })}>
        <option value="">All exchanges</option>
        {EXCHANGE_NAMES.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
      <select aria-label="Status" data-testid="filter-status" value={filter.status} onChange={(event) => set({ status: isOrderStatus(event.target.value) ? event.target.value : '' })}>
        <option value="">All statuses</option>
        {ORDER_STATUSES.map((status) => (
          <option key={status} value={status}>
            {status}
          </option>
        ))}
      </select>
      <input
        type="search"
        aria-label="Search"
        data-testid="filter-text"
        placeholder="Symbol, side, memo, strategy…"
        value={filter.text}
        onChange={(event) => set({ text: event.target.value })}
      />
      <button type="button" className="btn btn-small btn-quiet" onClick={() => onChange(NO_FILTER)}>
        Clear
      </button>
    </div>
  );
}
