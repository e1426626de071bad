/**
 * A CSV writer to RFC 4180 (CRLF line ends; a field holding a comma, a double quote, CR or LF is quoted,
 * its quotes doubled), safe to open in a spreadsheet: text starting with = + - @, a tab or CR, which
 * Excel, LibreOffice and Google Sheets would run as a formula, is prefixed with an apostrophe and
 * quoted. JS numbers and booleans are written as they are: they cannot carry a formula.
 */
export type CsvCell = string | number | boolean | null;

/** One column of an export: its header and how a row fills it. */
export interface CsvColumn<Row> {
  header: string;
  cell(row: Row): CsvCell;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

const quoted = (text: string) => `"${text.replaceAll('"', '""')}"`;

export function csvCell(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  if (FORMULA_START.test(value)) return quoted(`'${value}`);
  return NEEDS_QUOTES.test(value) ? quoted(value) : value;
}

/** One record, with its CRLF. */
export function csvLine(cells: readonly CsvCell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export function csvHeader<Row>(columns: readonly CsvColumn<Row>[]): string {
  return csvLine(columns.map((column) => column.header));
}

/** The records of `rows` (no header), as one text. */
export function csvRecords<Row>(columns: readonly CsvColumn<Row>[], rows: Iterable<Row>): string {
  let text = '';
  for (const row of rows) text += csvLine(columns.map((column) => column.cell(row)));
  return text;
}
