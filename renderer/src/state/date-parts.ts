/**
 * A moment's calendar and clock fields in a time zone (undefined: the computer's own), 24-hour and
 * zero-padded, with the month as a number ("03") or a short name ("Mar"). What the orders' times and
 * the charts' labels are assembled from.
 */
export function datePartsOf(date: Date, month: '2-digit' | 'short', timeZone: string | undefined): Record<string, string> {
  const format = new Intl.DateTimeFormat('en-GB', {
    year: 'numeric',
    month,
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    ...(timeZone ? { timeZone } : {}),
  });
  const out: Record<string, string> = {};
  for (const part of format.formatToParts(date)) out[part.type] = part.value;
  return out;
}
