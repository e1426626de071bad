/**
 * Every refusal the API gives: an HTTP status, a stable code a bot can branch on, the field it is
 * about, and a message that says what was expected. Messages never carry secrets.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody(): { ok: false; error: { code: string; message: string; field?: string } } {
    return { ok: false, error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } };
  }
}
