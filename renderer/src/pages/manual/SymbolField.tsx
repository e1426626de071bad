import { type KeyboardEvent, useMemo, useState } from 'react';
import type { MarketEntry } from '../../../../shared/manual-order-api.js';
import { Field } from '../../components/Field.js';
import { describeEntry, filterSuggestions, moveHighlight } from '../../state/symbol-suggestions.js';

/**
 * The symbol input with the exchange's markets as suggestions, filtered as the user types (a combobox,
 * not a datalist: its list can say what each market is, and looks the same in every browser).
 */
export function SymbolField({
  value,
  error,
  entries,
  source,
  sourceDetail,
  onChange,
}: {
  value: string;
  error: string | undefined;
  entries: readonly MarketEntry[];
  source: string;
  /** The engine's full reason, on hover. */
  sourceDetail?: string | undefined;
  onChange(symbol: string): void;
}) {
  const [open, setOpen] = useState(false);
  const [highlight, setHighlight] = useState(-1);
  const shown = useMemo(() => filterSuggestions(entries, value), [entries, value]);
  const listed = open && shown.length > 0 && !(shown.length === 1 && shown[0]?.input === value);

  const pick = (entry: MarketEntry) => {
    onChange(entry.input);
    setOpen(false);
    setHighlight(-1);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
      setHighlight((current) => moveHighlight(current, shown.length, event.key === 'ArrowDown' ? 1 : -1));
    } else if (event.key === 'Enter' && listed && highlight >= 0 && shown[highlight]) {
      // Enter picks the highlighted market instead of submitting the form.
      event.preventDefault();
      pick(shown[highlight]);
    } else if (event.key === 'Escape') {
      setOpen(false);
    }
  };

  return (
    <Field label="Symbol" error={error} hint={
        <span data-testid="symbol-source" title={sourceDetail}>
          {source}
        </span>
      }>
      <div className="combo">
        <input
          name="symbol"
          role="combobox"
          aria-expanded={listed}
          aria-controls="symbol-suggestions"
          aria-autocomplete="list"
          aria-activedescendant={listed && highlight >= 0 ? `symbol-option-${highlight}` : undefined}
          value={value}
          placeholder="BTCUSDT, BTC/USDT:USDT or BTCUSDT.P"
          onChange={(event) => {
            onChange(event.target.value);
            setOpen(true);
            setHighlight(-1);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
          autoComplete="off"
          spellCheck={false}
        />
        {listed ? (
          <ul id="symbol-suggestions" role="listbox" className="suggestions" data-testid="symbol-suggestions">
            {shown.map((entry, index) => (
              <li
                key={`${entry.input}|${entry.unified ?? ''}`}
                id={`symbol-option-${index}`}
                role="option"
                aria-selected={index === highlight}
                className={index === highlight ? 'on' : undefined}
                data-testid={`suggestion-${entry.input}`}
                // mousedown, not click: the input must not lose focus (and close the list) first.
                onMouseDown={(event) => {
                  event.preventDefault();
                  pick(entry);
                }}
              >
                <span className="num strong">{entry.input}</span>
                <span className="muted small">{describeEntry(entry)}</span>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </Field>
  );
}
