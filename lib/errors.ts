/** The one error type routes and commands throw for a client-facing failure (SPEC §6 error body). */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const badRequest = (message: string, details?: unknown) => new AppError(400, "bad_request", message, details);
export const unauthorized = (code = "unauthorized", message = "Authentication required.") =>
  new AppError(401, code, message);
export const forbidden = (code = "forbidden", message = "Not allowed.") => new AppError(403, code, message);
export const notFound = (what = "resource") => new AppError(404, "not_found", `No such ${what}.`);
export const unsupportedMediaType = (message: string) => new AppError(415, "unsupported_media_type", message);
export const conflict = (code: string, message: string) => new AppError(409, code, message);
export const tooManyRequests = (code: string, message: string, retryAfterSeconds: number) =>
  new AppError(429, code, message, { retryAfterSeconds }, { "Retry-After": String(retryAfterSeconds) });
