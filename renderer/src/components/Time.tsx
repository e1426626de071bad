import { formatFullTime, formatTime } from '../state/order-format.js';
import { useTimeZone } from './time-zone.js';

/** A time in the zone the settings ask for: short in tables, the full stamp on hover. */
export function Time({ iso, full = false }: { iso: string | null; full?: boolean }) {
  const zone = useTimeZone();
  if (!iso) return <span className="muted">—</span>;
  return (
    <time dateTime={iso} title={formatFullTime(iso, zone)} className="num">
      {full ? formatFullTime(iso, zone) : formatTime(iso, new Date(), zone)}
    </time>
  );
}
