/** Prints rows as aligned columns; `--json` callers print JSON instead. */
export function printTable(rows: Record<string, string | number | boolean | null>[], empty: string): void {
  if (rows.length === 0) {
    console.log(empty);
    return;
  }
  const columns = Object.keys(rows[0] as object);
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => String(row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ').trimEnd();
  console.log(line(columns));
  for (const row of rows) console.log(line(columns.map((column) => String(row[column] ?? ''))));
}

export function printJson(value: unknown): void {
  console.log(JSON.stringify(value));
}
