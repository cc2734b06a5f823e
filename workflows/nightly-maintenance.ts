import { continueAsNew, log, patched, proxyActivities } from "@temporalio/workflow";
import type { Activities } from "../activities";
import {
  type NightlyMaintenanceInput,
  type NightlyMaintenanceReport,
  type PurgeKind,
  type ReconcileCursor,
  type RowCursor,
  addReconcileReport,
  addTally,
  emptyReconcileReport,
  emptyTally,
} from "../lib/housekeeping";
import { batchRetry, historyIsLong } from "./housekeeping-run";

type Phase = PurgeKind | "folders" | "reconcile" | "accounts" | "deletions" | "done";
const phases: Phase[] = ["trash", "quarantine", "failed", "folders", "reconcile", "done"];

// Kept in step with db/commands/accounts/prune.ts (workflow code cannot import it: it pulls in the db).
const PRUNE_KINDS = [
  "refresh_tokens",
  "email_verifications",
  "password_resets",
  "login_attempts",
  "login_locks",
] as const;
/** Spent, revoked and expired account records are kept this long after they stop mattering. */
const PRUNE_GRACE_MS = 24 * 60 * 60 * 1000;
/**
 * Runs recorded before the account prune went from reconcile straight to done; replaying them must
 * do the same, so the step after reconcile is chosen under this patch.
 */
const ACCOUNT_PRUNE_PATCH = "account-prune";

/** What the account steps did (issue 16): rows pruned per kind, AccountDeletion runs restarted. */
export interface AccountMaintenanceReport {
  pruned: Record<string, number>;
  deletionsRestarted: number;
}

/** Where a run stands; carried into the next run when the history grows long. */
export interface NightlyMaintenanceState {
  phase: Phase;
  /** Fixed at the start of the run (ISO), so every batch judges by the same moment. */
  cutoffs: Record<PurgeKind | "orphan", string>;
  rowCursor: RowCursor | null;
  /** Folders deleted in the current pass over the expired ones; another pass follows while > 0. */
  foldersThisPass: number;
  reconcileCursor: ReconcileCursor | null;
  report: NightlyMaintenanceReport;
  /** Absent in runs carried from before the account steps existed. */
  accounts?: {
    pruneBefore: string;
    kindIndex: number;
    deletionsCursor: string | null;
    report: AccountMaintenanceReport;
  };
}

function startState(input: NightlyMaintenanceInput): NightlyMaintenanceState {
  const now = Date.now(); // workflow time: deterministic on replay
  const ago = (ms: number) => new Date(now - ms).toISOString();
  return {
    phase: "trash",
    cutoffs: {
      trash: ago(input.trashRetentionMs),
      quarantine: ago(input.quarantineRetentionMs),
      failed: ago(input.failedUploadRetentionMs),
      orphan: ago(input.orphanObjectMinAgeMs),
    },
    rowCursor: null,
    foldersThisPass: 0,
    reconcileCursor: null,
    report: {
      dryRun: input.dryRun,
      purged: {
        trash: emptyTally(),
        quarantine: emptyTally(),
        failed: emptyTally(),
        folders: emptyTally(),
        blocked: emptyTally(),
      },
      reconcile: emptyReconcileReport(),
    },
  };
}

const nextPhase = (phase: Phase): Phase => phases[phases.indexOf(phase) + 1];

/**
 * Nightly (schedule "nightly-maintenance"): deletes for good the trash past TRASH_RETENTION_DAYS,
 * the quarantine past QUARANTINE_RETENTION_DAYS, failed uploads past their retention and emptied
 * trashed folders; then, user by user, sweeps their S3 prefixes against the files table (orphans
 * reported and, once old enough, deleted; missing objects reported) and sets used_bytes right.
 * Purging comes first so the sweep also collects objects a crashed purge left behind. One batch
 * per activity call; every step is safe to repeat, so the run can stop anywhere and go on.
 */
export async function nightlyMaintenance(
  input: NightlyMaintenanceInput,
  carried?: NightlyMaintenanceState,
): Promise<NightlyMaintenanceReport & { accounts?: AccountMaintenanceReport }> {
  const acts = proxyActivities<Activities>({
    startToCloseTimeout: "10 minutes",
    heartbeatTimeout: input.heartbeatTimeoutMs,
    retry: batchRetry,
  });
  const state = carried ?? startState(input);
  const { dryRun, batchSize: limit } = input;
  const { report } = state;

  async function purgeStep(kind: PurgeKind) {
    const batch = await acts.purgeExpiredFiles({
      dryRun,
      kind,
      before: state.cutoffs[kind],
      after: state.rowCursor,
      limit,
    });
    addTally(report.purged[kind], batch.tally);
    addTally(report.purged.blocked, batch.blocked);
    state.rowCursor = batch.next;
    if (!batch.next) state.phase = nextPhase(kind);
  }

  async function foldersStep() {
    const batch = await acts.purgeExpiredFolders({
      dryRun,
      before: state.cutoffs.trash,
      after: state.rowCursor,
      limit,
    });
    addTally(report.purged.folders, batch.tally);
    state.foldersThisPass += batch.tally.count;
    state.rowCursor = batch.next;
    if (batch.next) return;
    // Nested folders go leaf first: another pass while the last one deleted anything.
    if (dryRun || state.foldersThisPass === 0) state.phase = "reconcile";
    state.foldersThisPass = 0;
  }

  async function reconcileStep() {
    const batch = await acts.reconcileStorage({
      dryRun,
      after: state.reconcileCursor,
      limit,
      orphanBefore: state.cutoffs.orphan,
    });
    addReconcileReport(report.reconcile, batch.report);
    state.reconcileCursor = batch.next;
    if (!batch.next) state.phase = patched(ACCOUNT_PRUNE_PATCH) ? "accounts" : "done";
  }

  function accountState() {
    // Workflow time, fixed once: every page of the prune judges by the same moment.
    state.accounts ??= {
      pruneBefore: new Date(Date.now() - PRUNE_GRACE_MS).toISOString(),
      kindIndex: 0,
      deletionsCursor: null,
      report: { pruned: {}, deletionsRestarted: 0 },
    };
    return state.accounts;
  }

  async function accountsStep() {
    const accounts = accountState();
    const kind = PRUNE_KINDS[accounts.kindIndex];
    const page = await acts.pruneAccountRecords({ dryRun, kind, before: accounts.pruneBefore, limit });
    accounts.report.pruned[kind] = (accounts.report.pruned[kind] ?? 0) + page.count;
    if (page.more) return;
    accounts.kindIndex++;
    if (accounts.kindIndex >= PRUNE_KINDS.length) state.phase = "deletions";
  }

  async function deletionsStep() {
    const accounts = accountState();
    const page = await acts.resumeAccountDeletions({ dryRun, after: accounts.deletionsCursor, limit });
    accounts.report.deletionsRestarted += page.started;
    accounts.deletionsCursor = page.next;
    if (!page.next) state.phase = "done";
  }

  // Every run does at least one batch before it may continue as new, so a chain always progresses.
  for (let batches = 0; state.phase !== "done"; batches++) {
    if (batches > 0 && historyIsLong(input)) await continueAsNew<typeof nightlyMaintenance>(input, state);
    switch (state.phase) {
      case "trash":
      case "quarantine":
      case "failed":
        await purgeStep(state.phase);
        break;
      case "folders":
        await foldersStep();
        break;
      case "reconcile":
        await reconcileStep();
        break;
      case "accounts":
        await accountsStep();
        break;
      case "deletions":
        await deletionsStep();
        break;
    }
  }
  log.info("nightly maintenance finished", {
    dryRun,
    purged: Object.fromEntries(Object.entries(report.purged).map(([kind, tally]) => [kind, tally.count])),
    usersChecked: report.reconcile.usersChecked,
    usersCorrected: report.reconcile.usersCorrected.count,
    orphanObjects: report.reconcile.orphanObjects.count,
    missingObjects: report.reconcile.missingObjects.count,
    accounts: state.accounts?.report,
  });
  return state.accounts ? { ...report, accounts: state.accounts.report } : report;
}
