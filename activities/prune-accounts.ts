import { log } from "@temporalio/activity";
import { findAccountsBeingDeleted } from "../db/commands/accounts/account-deletion";
import { type PruneKind, pruneAccountRecords } from "../db/commands/accounts/prune";
import { accountDeletionInput, startAccountDeletion } from "../lib/account-deletion";
import type { ActivityDeps } from "./deps";

export interface PruneAccountRecordsProps {
  dryRun: boolean;
  kind: PruneKind;
  /** Records that stopped mattering before this moment (ISO) go. */
  before: string;
  limit: number;
}

/** The nightly prune of account records: one page of one kind per call; a rerun finds what is left. */
export function accountMaintenanceActivities(deps: ActivityDeps) {
  return {
    async pruneAccountRecords(props: PruneAccountRecordsProps): Promise<{ count: number; more: boolean }> {
      const result = await pruneAccountRecords(deps.db, {
        ...props,
        before: new Date(props.before),
        loginWindowSeconds: deps.config.LOGIN_FAILURE_WINDOW_SECONDS,
      });
      if (!props.dryRun && result.count) log.info("account records pruned", { kind: props.kind, count: result.count });
      return result;
    },

    /**
     * One page of accounts marked for deletion: AccountDeletion is started for each (a running one
     * is left alone), so a deletion whose start failed (Temporal away at DELETE /me) still happens.
     */
    async resumeAccountDeletions(props: {
      dryRun: boolean;
      after: string | null;
      limit: number;
    }): Promise<{ started: number; next: string | null }> {
      const userIds = await findAccountsBeingDeleted(deps.db, { after: props.after, limit: props.limit });
      let started = 0;
      for (const userId of userIds) {
        if (props.dryRun) continue;
        const input = accountDeletionInput(deps.config, userId);
        if (await startAccountDeletion(deps.temporal, deps.config.TEMPORAL_TASK_QUEUE, input)) started++;
      }
      if (started) log.warn("account deletions restarted", { started });
      return { started, next: userIds.length === props.limit ? userIds[userIds.length - 1] : null };
    },
  };
}
