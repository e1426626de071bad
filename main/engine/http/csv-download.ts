import { Readable } from 'node:stream';
import type { Context } from 'koa';

/** UTF-8's byte order mark: without it Excel reads the file in the system's legacy code page (masked keys' "…" garbled). */
const BOM = '\uFEFF';

/** Answers with a CSV file to save, streamed chunk by chunk as the export reads its pages. */
export function csvDownload(ctx: Context, basename: string, chunks: AsyncIterable<string>): void {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  ctx.set('Content-Disposition', `attachment; filename="apisify-${basename}-${stamp}.csv"`);
  ctx.set('Cache-Control', 'no-store');
  ctx.type = 'text/csv; charset=utf-8';
  ctx.body = Readable.from(withBom(chunks));
}

async function* withBom(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  yield BOM;
  yield* chunks;
}
