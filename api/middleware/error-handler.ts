import type { Next } from "koa";
import { ZodError } from "zod";
import { asDomainError, type DomainError, type DomainErrorCode, retryAfterOf } from "../../lib/domain-errors";
import { AppError } from "../../lib/errors";
import type { AppContext } from "../context";
import { describeZodError } from "./validate";

/** Codes for the 4xx errors Koa and its body parser raise themselves. */
const codeByStatus: Record<number, string> = {
  400: "bad_request",
  404: "not_found",
  405: "method_not_allowed",
  411: "length_required",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

/** The one place a domain error gets its HTTP status (SPEC §6); a new code does not compile until it is here. */
export const STATUS_OF_DOMAIN_ERROR: Record<DomainErrorCode, number> = {
  bad_request: 400,
  below_download_count: 400,
  invalid_token: 400,
  unknown_plan: 400,
  wrong_password: 403,
  not_found: 404,
  email_taken: 409,
  file_trashed: 409,
  folder_trashed: 409,
  in_trashed_folder: 409,
  name_taken: 409,
  not_ready: 409,
  quarantined: 409,
  self_lockout: 409,
  share_revoked: 409,
  too_many_webhooks: 409,
  upload_closed: 409,
  upload_open: 409,
  file_count_exceeded: 413,
  file_too_large: 413,
  quota_exceeded: 413,
  too_many_uploads: 429,
  storage_unavailable: 503,
};

interface HttpLikeError {
  status?: number;
  expose?: boolean;
  message?: string;
  type?: string;
}

/** Turns every error into the SPEC §6 body; anything unexpected becomes a plain 500. */
export function errorHandler() {
  return async (ctx: AppContext, next: Next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new AppError(404, "not_found", "No such route.");
      }
    } catch (caught) {
      const error = toAppError(caught);
      if (error.code === "storage_unavailable") {
        ctx.deps.logger.warn({ err: caught, requestId: ctx.state.requestId }, "object store unavailable");
      } else if (error.status >= 500) {
        ctx.deps.logger.error({ err: caught, requestId: ctx.state.requestId }, "unhandled error");
      }
      ctx.status = error.status;
      for (const [name, value] of Object.entries(error.headers ?? {})) ctx.set(name, value);
      ctx.body = {
        error: {
          code: error.code,
          message: error.message,
          ...(error.details === undefined ? {} : { details: error.details }),
        },
        requestId: ctx.state.requestId,
      };
    }
  };
}

/** A domain error as the API answers it: its status, and Retry-After when it names a wait. */
function fromDomainError(error: DomainError): AppError {
  const retryAfter = retryAfterOf(error);
  const headers = retryAfter === undefined ? undefined : { "Retry-After": String(retryAfter) };
  return new AppError(STATUS_OF_DOMAIN_ERROR[error.code], error.code, error.message, error.details, headers);
}

function toAppError(caught: unknown): AppError {
  if (caught instanceof AppError) return caught;
  const domain = asDomainError(caught);
  if (domain) return fromDomainError(domain);
  if (caught instanceof ZodError)
    return new AppError(400, "validation_failed", "The request is not valid.", describeZodError(caught));
  const http = caught as HttpLikeError;
  if (typeof http?.status === "number" && http.status >= 400 && http.status < 500) {
    if (http.type === "entity.parse.failed" || (caught instanceof SyntaxError && http.status === 400))
      return new AppError(400, "invalid_json", "The body is not valid JSON.");
    const message = http.expose && http.message ? http.message : "The request could not be handled.";
    return new AppError(http.status, codeByStatus[http.status] ?? "bad_request", message);
  }
  return new AppError(500, "internal_error", "Something went wrong on our side.");
}
