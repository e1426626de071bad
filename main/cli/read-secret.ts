import { UsageError } from './usage-error.js';

async function readPiped(input: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

/**
 * On a terminal: a prompt, and the keys typed are not echoed (raw mode: the terminal shows nothing,
 * this reads each key), so the secret is not left on the screen or in its scrollback. Enter ends it;
 * Ctrl+C and Ctrl+D give up.
 */
function readHidden(input: NodeJS.ReadStream, prompt: string): Promise<string> {
  // Echo goes off before the prompt shows: a key typed the moment it appears is not echoed either.
  input.setRawMode(true);
  input.resume();
  process.stderr.write(prompt);
  let typed = '';
  return new Promise<string>((resolve, reject) => {
    const done = (error: Error | null) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed.trim());
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return done(null);
        if (char === '\u0003' || char === '\u0004') return done(new UsageError('no secret entered'));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else if (char >= ' ') typed += char;
      }
    };
    input.on('data', onData);
  });
}

/** `--secret -`: the secret from standard input, piped or typed at a prompt without echo. */
export async function readSecret(prompt: string, input: NodeJS.ReadStream = process.stdin): Promise<string> {
  return input.isTTY ? readHidden(input, prompt) : readPiped(input);
}
