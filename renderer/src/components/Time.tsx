import { formatFullTime, formatTime } from '../state/order-format.js';

/** A time in the user's zone: short in tables, the full stamp on hover. */
export function Time({ iso, full = false }: { iso: string | null; full?: boolean }) {
  if (!iso) return <span className="muted">—</span>;
  return (
    <time dateTime={iso} title={formatFullTime(iso)} className="num">
      {full ? formatFullTime(iso) : formatTime(iso)}
    </time>
  );
}
