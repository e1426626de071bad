import type { Fill } from '../store/fills.js';

/**
 * Fills grouped by the strategy that made them, each group in the order given (oldest first, as
 * average cost reads them). One pass: a journal holds every fill ever made, and copying a group on
 * each fill (as building the groups with spreads did) took seconds at 20,000 fills of one strategy,
 * with the engine's event loop, and so every order, waiting.
 */
export function byStrategy(fills: readonly Fill[], names: readonly string[] = []): Map<string, Fill[]> {
  const groups = new Map<string, Fill[]>(names.map((name) => [name, []]));
  for (const fill of fills) {
    const group = groups.get(fill.strategy);
    if (group) group.push(fill);
    else groups.set(fill.strategy, [fill]);
  }
  return groups;
}
