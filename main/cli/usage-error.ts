/**
 * A mistake in how the command was called (an unknown option, a value it cannot take, a name that is
 * not there): printed as one line naming the command and the option as typed, no stack trace, exit code 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
