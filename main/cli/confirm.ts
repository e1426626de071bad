import { createInterface } from 'node:readline/promises';

export interface Terminal {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
}

const STANDARD: Terminal = { input: process.stdin, output: process.stderr };

/** Whether a person is there to ask: standard input is a terminal, not a pipe or a file. */
export function canAsk(terminal: Terminal = STANDARD): boolean {
  return terminal.input.isTTY === true;
}

/**
 * Asks on the terminal (the question on standard error, so standard output stays the command's own)
 * and takes only `yes` or `y` as yes: Enter alone, anything else, or the end of input is no.
 */
export async function confirm(question: string, terminal: Terminal = STANDARD): Promise<boolean> {
  const lines = createInterface({ input: terminal.input, output: terminal.output, terminal: false });
  try {
    const closed = new Promise<string>((resolve) => lines.once('close', () => resolve('')));
    const answer = await Promise.race([lines.question(question), closed]);
    return ['yes', 'y'].includes(answer.trim().toLowerCase());
  } finally {
    lines.close();
  }
}
