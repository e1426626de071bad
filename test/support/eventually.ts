/** Reads until `done` holds or `ms` pass, and returns the last value read: the caller's assertion says what was wrong. */
export async function eventually<T>(read: () => T, done: (value: T) => boolean, ms = 6_000, stepMs = 25): Promise<T> {
  const until = Date.now() + ms;
  let value = read();
  while (!done(value) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, stepMs));
    value = read();
  }
  return value;
}

/** Waits until `done` holds, or fails naming what it waited for. */
export async function until(what: string, done: () => boolean, ms = 10_000): Promise<void> {
  if (!(await eventually(done, (value) => value, ms))) throw new Error(`timed out waiting until ${what}`);
}
