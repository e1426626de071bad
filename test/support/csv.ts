/**
 * Reads RFC 4180 CSV back into records (quoted fields, doubled quotes, CRLF), so the tests check an
 * export the way a spreadsheet reads it. A byte order mark before the first field is dropped.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let at = text.startsWith('\uFEFF') ? 1 : 0;
  for (; at < text.length; at += 1) {
    const char = text[at] as string;
    if (quoted) {
      if (char === '"' && text[at + 1] === '"') (field += '"'), (at += 1);
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') record.push(field), (field = '');
    else if (char === '\r' && text[at + 1] === '\n') {
      record.push(field);
      records.push(record);
      (record = []), (field = ''), (at += 1);
    } else field += char;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
}

/** Records as objects by the header's names. */
export function csvObjects(text: string): Record<string, string>[] {
  const [header = [], ...rows] = parseCsv(text);
  return rows.map((row) => Object.fromEntries(header.map((name, index) => [name, row[index] ?? ''])));
}
