// Shared by the scan activity and the FileLifecycle workflow, so it imports nothing (workflow bundle).

/**
 * The ApplicationFailure type of a scan that no retry can fix: the file's object is gone (S3
 * NoSuchKey), which is not an outage. The workflow then ends the file failed with the failure's
 * message as its reason.
 */
export const OBJECT_MISSING = "object_missing";
