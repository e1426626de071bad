/** Writes an export's chunks to standard output as they come, waiting when the pipe is full. */
export async function printCsv(chunks: AsyncIterable<string>): Promise<void> {
  for await (const chunk of chunks) {
    if (!process.stdout.write(chunk)) await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
  }
}
