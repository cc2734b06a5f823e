/**
 * An error of the API layer itself, with its HTTP status: authentication, validation, rate limits,
 * HTTP mechanics. A refusal of the domain (db commands, and routes translating their results) is a
 * DomainError (lib/domain-errors.ts) instead, which api/middleware/error-handler.ts gives its status.
 */
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
export const unsupportedMediaType = (message: string) => new AppError(415, "unsupported_media_type", message);
export const tooManyRequests = (code: string, message: string, retryAfterSeconds: number) =>
  new AppError(429, code, message, { retryAfterSeconds }, { "Retry-After": String(retryAfterSeconds) });
