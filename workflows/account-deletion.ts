import { ApplicationFailure, continueAsNew, log, proxyActivities, workflowInfo } from "@temporalio/workflow";
import type { Activities } from "../activities";
import type { AccountDeletionInput, AccountDeletionReport } from "../lib/account-deletion";
import type { UploadsMarker } from "../lib/s3";

// Kept in step with activities/account-deletion.ts (workflow code cannot import it: it pulls in the db).
const PREFIX_COUNT = 4;
const TABLES = [
  "shares",
  "folders",
  "upload_events",
  "email_verifications",
  "password_resets",
  "refresh_tokens",
] as const;

type Phase = "check" | "files" | "objects" | "uploads" | "rows" | "finish" | "done";

/** Where a run stands; carried into the next run when the history grows long. */
export interface AccountDeletionState {
  phase: Phase;
  prefixIndex: number;
  uploadsMarker: UploadsMarker | null;
  tableIndex: number;
  report: AccountDeletionReport;
}

/**
 * AccountDeletion (id `account-deletion-<userId>`), started by DELETE /me once the account is
 * locked: the user's files page by page (objects, thumbnails, previews, open multipart uploads, then
 * rows), whatever else is left under their S3 prefixes, the multipart uploads no row knew, their
 * other rows table by table, and last the user row with the one audit entry that stays. Every step
 * is safe to repeat, so a run killed anywhere goes on where it was (the activities retry for ever
 * with backoff: an outage delays the deletion, never drops it).
 */
export async function accountDeletion(
  input: AccountDeletionInput,
  carried?: AccountDeletionState,
): Promise<AccountDeletionReport> {
  const acts = proxyActivities<Activities>({
    startToCloseTimeout: "10 minutes",
    heartbeatTimeout: input.heartbeatTimeoutMs,
    retry: { initialInterval: "1 second", maximumInterval: "1 minute" },
  });
  const { userId, batchSize: limit } = input;
  const state: AccountDeletionState = carried ?? {
    phase: "check",
    prefixIndex: 0,
    uploadsMarker: null,
    tableIndex: 0,
    report: { files: 0, objects: 0, multipartUploads: 0, rows: {}, userDeleted: false },
  };
  const { report } = state;

  for (let batches = 0; state.phase !== "done"; batches++) {
    if (batches > 0 && historyIsLong(input.maxHistoryEvents)) await continueAsNew<typeof accountDeletion>(input, state);
    switch (state.phase) {
      case "check": {
        const account = await acts.accountDeletionState(userId);
        if (account === "active")
          throw ApplicationFailure.create({
            nonRetryable: true,
            type: "account_not_marked",
            message: "The account was not marked for deletion (DELETE /me); nothing was deleted.",
          });
        state.phase = account === "gone" ? "done" : "files";
        break;
      }
      case "files": {
        const count = await acts.deleteAccountFiles({ userId, limit });
        report.files += count;
        if (count < limit) state.phase = "objects";
        break;
      }
      case "objects": {
        const page = await acts.deleteAccountObjects({ userId, prefixIndex: state.prefixIndex, limit });
        report.objects += page.deleted;
        if (page.more) break;
        state.prefixIndex++;
        if (state.prefixIndex >= PREFIX_COUNT) state.phase = "uploads";
        break;
      }
      case "uploads": {
        const page = await acts.abortAccountUploads({ userId, after: state.uploadsMarker, limit });
        report.multipartUploads += page.aborted;
        state.uploadsMarker = page.next;
        if (!page.next) state.phase = "rows";
        break;
      }
      case "rows": {
        const table = TABLES[state.tableIndex];
        const count = await acts.deleteAccountRows({ userId, table, limit });
        report.rows[table] = (report.rows[table] ?? 0) + count;
        if (count < limit) state.tableIndex++;
        if (state.tableIndex >= TABLES.length) state.phase = "finish";
        break;
      }
      case "finish": {
        const { rows, files, objects, multipartUploads } = report;
        report.userDeleted = await acts.finishAccountDeletion({
          userId,
          details: { files, objects, multipartUploads, rows },
        });
        state.phase = "done";
        break;
      }
    }
  }
  log.info("account deletion finished", { userId, ...report });
  return report;
}

function historyIsLong(maxHistoryEvents: number): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= maxHistoryEvents;
}
