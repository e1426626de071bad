import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A measured figure; with a target it passes or misses, without one it is context. */
export interface Figure {
  key: string;
  label: string;
  value: number;
  unit: string;
  target?: { op: '<=' | '>=' | '='; value: number };
}

export function passes(figure: Figure): boolean | null {
  const { target } = figure;
  if (!target || !Number.isFinite(figure.value)) return target ? false : null;
  if (target.op === '<=') return figure.value <= target.value;
  if (target.op === '>=') return figure.value >= target.value;
  return figure.value === target.value;
}

function shown(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'n/a';
  // a count's mean keeps its fraction: 0.05 requests per order is not 0
  const digits = unit === 'ms' && Math.abs(value) < 10 ? 2 : unit === 'x' ? 2 : unit === 'ms' || unit === 'MB' ? 1 : Number.isInteger(value) ? 0 : 2;
  return `${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${unit}`.trim();
}

/** The table the bench prints: figure, value, target, and whether it was met. */
export function formatTable(figures: readonly Figure[]): string {
  const rows = figures.map((figure) => {
    const verdict = passes(figure);
    return [figure.label, shown(figure.value, figure.unit), figure.target ? `${figure.target.op} ${shown(figure.target.value, figure.unit)}` : '', verdict === null ? '' : verdict ? 'pass' : 'MISS'];
  });
  const header = ['figure', 'value', 'target', 'result'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 1 || column === 2 ? cell.padStart(widths[column] as number) : cell.padEnd(widths[column] as number))).join('  ').trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}
