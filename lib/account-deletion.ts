import type { Client } from "@temporalio/client";
import type { Config } from "./config";
import { startOnce, type WorkflowName } from "./workflow-start";

/** What the AccountDeletion workflow needs (workflow code reads no env: the starter passes it). */
export interface AccountDeletionInput {
  userId: string;
  /** Rows or S3 keys one activity call handles. */
  batchSize: number;
  /** An activity silent this long is retried on another worker. */
  heartbeatTimeoutMs: number;
  /** The run continues as a new run once its history holds this many events. */
  maxHistoryEvents: number;
}

/** How much one AccountDeletion run removed. */
export interface AccountDeletionReport {
  files: number;
  objects: number;
  multipartUploads: number;
  rows: Record<string, number>;
  /** False when a run before this one had already deleted the user row. */
  userDeleted: boolean;
}

export const ACCOUNT_DELETION_WORKFLOW = "accountDeletion" satisfies WorkflowName;
export const accountDeletionId = (userId: string) => `account-deletion-${userId}`;

export function accountDeletionInput(
  config: Pick<Config, "HOUSEKEEPING_BATCH_SIZE" | "HOUSEKEEPING_HEARTBEAT_TIMEOUT_MS">,
  userId: string,
): AccountDeletionInput {
  return {
    userId,
    batchSize: config.HOUSEKEEPING_BATCH_SIZE,
    heartbeatTimeoutMs: config.HOUSEKEEPING_HEARTBEAT_TIMEOUT_MS,
    maxHistoryEvents: 10_000,
  };
}

/**
 * Starts AccountDeletion for a user unless a run with its id is already going. Returns false when
 * one was: a second start is harmless.
 */
export async function startAccountDeletion(
  client: Client,
  taskQueue: string,
  input: AccountDeletionInput,
): Promise<boolean> {
  return startOnce(client, ACCOUNT_DELETION_WORKFLOW, {
    taskQueue,
    workflowId: accountDeletionId(input.userId),
    args: [input],
  });
}
