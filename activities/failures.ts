import { ApplicationFailure } from "@temporalio/common";
import { asDomainError, type DomainErrorCode } from "../lib/domain-errors";

/**
 * The one place an activity's domain error becomes what Temporal acts on: a retry can fix an outage
 * (the object store coming back), never a refusal of the data as it is. A new code does not compile
 * until it is placed here.
 */
export const RETRYABLE_DOMAIN_ERROR: Record<DomainErrorCode, boolean> = {
  storage_unavailable: true,
  bad_request: false,
  below_download_count: false,
  email_taken: false,
  file_count_exceeded: false,
  file_too_large: false,
  file_trashed: false,
  folder_trashed: false,
  in_trashed_folder: false,
  invalid_token: false,
  name_taken: false,
  not_found: false,
  not_ready: false,
  quarantined: false,
  quota_exceeded: false,
  self_lockout: false,
  share_revoked: false,
  too_many_uploads: false,
  too_many_webhooks: false,
  unknown_plan: false,
  upload_closed: false,
  upload_open: false,
  wrong_password: false,
};

/**
 * A domain error (or an object-store outage) as an ApplicationFailure whose type is its code;
 * anything else as it is (Temporal retries it under the activity's policy).
 */
export function toActivityFailure(error: unknown): unknown {
  const domain = asDomainError(error);
  if (!domain) return error;
  return ApplicationFailure.create({
    type: domain.code,
    message: domain.message,
    details: domain.details === undefined ? [] : [domain.details],
    nonRetryable: !RETRYABLE_DOMAIN_ERROR[domain.code],
    cause: error instanceof Error ? error : undefined,
  });
}

type ActivityFunction = (...args: never[]) => Promise<unknown>;

/** The activities with every failure passed through toActivityFailure. */
export function mappingFailures<T extends Record<string, ActivityFunction>>(activities: T): T {
  const mapped: Record<string, ActivityFunction> = {};
  for (const [name, activity] of Object.entries(activities)) {
    mapped[name] = async (...args) => {
      try {
        return await activity(...args);
      } catch (error) {
        throw toActivityFailure(error);
      }
    };
  }
  return mapped as T;
}
