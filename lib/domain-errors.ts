import { isStorageOutage } from "./s3";

/**
 * Why a db command (or a route translating one) refused: the SPEC §6 `code` a client sees. It carries
 * no HTTP status: api/middleware/error-handler.ts maps each code to one, activities/failures.ts to a
 * retryable or final ApplicationFailure. A new code does not compile until both have placed it.
 */
export type DomainErrorCode =
  /** No such row for this user (another user's row is "not found" too). */
  | "not_found"
  /** The input contradicts what is stored; `details.reason` says how (missing parts, a bad move …). */
  | "bad_request"
  | "name_taken"
  | "email_taken"
  | "invalid_token"
  | "wrong_password"
  | "self_lockout"
  | "unknown_plan"
  | "file_trashed"
  | "folder_trashed"
  | "in_trashed_folder"
  | "quarantined"
  | "not_ready"
  | "upload_open"
  | "upload_closed"
  | "share_revoked"
  | "below_download_count"
  | "too_many_webhooks"
  | "file_too_large"
  | "file_count_exceeded"
  | "quota_exceeded"
  /** Open uploads at the user's limit; `details.retryAfterSeconds` says when to try again. */
  | "too_many_uploads"
  /** The object store (S3) did not answer or answered 5xx: an outage, not the request's fault. */
  | "storage_unavailable";

/** A refusal of the domain: what was asked cannot be done with the data as it is. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Shown to the client as the error body's `details`. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (what: string) => new DomainError("not_found", `No such ${what}.`);
export const nameTaken = (message = "An item with this name already exists here.") =>
  new DomainError("name_taken", message);

/** How long a client should wait before trying again after an object-store outage. */
const STORAGE_RETRY_AFTER_SECONDS = 5;

/**
 * The domain's reading of any error: a DomainError as it is, an object-store outage as
 * `storage_unavailable`, anything else null (a bug or an outage of something else: a plain 500 or a retry).
 */
export function asDomainError(error: unknown): DomainError | null {
  if (error instanceof DomainError) return error;
  if (isStorageOutage(error)) {
    return new DomainError("storage_unavailable", "File storage is unavailable; try again shortly.", {
      retryAfterSeconds: STORAGE_RETRY_AFTER_SECONDS,
    });
  }
  return null;
}

/** The `Retry-After` of an error that names one in its details. */
export function retryAfterOf(error: DomainError): number | undefined {
  const seconds = error.details?.retryAfterSeconds;
  return typeof seconds === "number" ? seconds : undefined;
}
