/** An HTTP error answer of the API: its status and the `{error: {code, message}}` body. */
export class ApiError extends Error {
  override readonly name = "ApiError";

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** From the Retry-After header of a 429 or 503. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** Also recognises an ApiError from another copy of this module (tests, hot reload). */
export function asApiError(error: unknown): ApiError | null {
  if (error instanceof ApiError) return error;
  if (typeof error !== "object" || error === null) return null;
  const { status, code, message } = error as Partial<ApiError>;
  if (typeof status !== "number" || typeof code !== "string") return null;
  const retryAfterSeconds = (error as Partial<ApiError>).retryAfterSeconds;
  return new ApiError(status, code, typeof message === "string" ? message : code, retryAfterSeconds);
}

/** Worth trying again: the network failed, the server failed, or it timed out. */
export function isTransient(error: unknown): boolean {
  const api = asApiError(error);
  if (!api) return true;
  return api.status === 0 || api.status === 408 || api.status >= 500;
}

/** The server no longer holds this upload open (aborted by housekeeping, cancelled elsewhere, or done). */
export function isUploadClosed(error: unknown): boolean {
  const api = asApiError(error);
  return api !== null && (api.status === 404 || api.status === 409);
}

export function messageOf(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong.";
}
