/**
 * The charts' times in the zone the settings ask for. The chart library counts time in UTC; these
 * label its crosshair and its axis (where the library lets a formatter in), so a chart reads in the
 * same zone as every other time on screen. Ticks stay where the library puts them.
 */

import { datePartsOf } from './date-parts.js';

/** What an axis label stands for, as the library's TickMarkType says it. */
export type TickKind = 'year' | 'month' | 'day' | 'time' | 'timeWithSeconds';

function parts(seconds: number, timeZone: string | undefined): Record<string, string> {
  return datePartsOf(new Date(seconds * 1000), 'short', timeZone);
}

/** The crosshair's label: "02 Mar 2026 14:05". */
export function chartTimeLabel(seconds: number, timeZone?: string): string {
  const p = parts(seconds, timeZone);
  return `${p['day']} ${p['month']} ${p['year']} ${p['hour']}:${p['minute']}`;
}

/** An axis label: the year, the month, "02 Mar", "14:05" or "14:05:30". */
export function tickLabel(seconds: number, kind: TickKind, timeZone?: string): string {
  const p = parts(seconds, timeZone);
  switch (kind) {
    case 'year':
      return p['year'] ?? '';
    case 'month':
      return p['month'] ?? '';
    case 'day':
      return `${p['day']} ${p['month']}`;
    case 'time':
      return `${p['hour']}:${p['minute']}`;
    case 'timeWithSeconds':
      return `${p['hour']}:${p['minute']}:${p['second']}`;
  }
}
