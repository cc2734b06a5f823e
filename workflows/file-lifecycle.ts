import { defineQuery, log, proxyActivities, setHandler } from "@temporalio/workflow";
import type { Activities } from "../activities";
import type { FileLifecycleInput, FileLifecycleStep } from "../lib/file-lifecycle";

export const stepQuery = defineQuery<FileLifecycleStep>("step");

export type FileLifecycleOutcome = "ready" | "quarantined" | "rejected" | "settled";

/** scan → ready or quarantine (or reject when too large for the scanner) → thumbnail. */
export async function fileLifecycle(input: FileLifecycleInput): Promise<FileLifecycleOutcome> {
  let step: FileLifecycleStep = "scanning";
  setHandler(stepQuery, () => step);

  const { scanFile } = proxyActivities<Activities>({
    startToCloseTimeout: "24 hours",
    heartbeatTimeout: input.scan.heartbeatTimeoutMs,
    // No maximum attempts: while the scanner is down the file waits in processing, never served.
    retry: {
      initialInterval: input.scan.initialRetryIntervalMs,
      backoffCoefficient: 2,
      maximumInterval: input.scan.maxRetryIntervalMs,
    },
  });
  const { markFileReady, quarantineFile, rejectFile } = proxyActivities<Activities>({
    startToCloseTimeout: "5 minutes",
    retry: { initialInterval: "1 second", maximumInterval: "1 minute" },
  });
  const { createThumbnail } = proxyActivities<Activities>({
    startToCloseTimeout: "5 minutes",
    retry: { maximumAttempts: 3 },
  });

  const verdict = await scanFile(input.fileId);
  let outcome: FileLifecycleOutcome;
  switch (verdict.outcome) {
    case "clean":
      step = "marking_ready";
      await markFileReady(input.fileId, verdict.sha256);
      outcome = "ready";
      step = "thumbnail";
      try {
        await createThumbnail(input.fileId);
      } catch (error) {
        log.warn("thumbnail failed; the file stays ready without one", { fileId: input.fileId, error: String(error) });
      }
      break;
    case "infected":
      step = "quarantining";
      await quarantineFile(input.fileId, verdict.signature, verdict.sha256);
      outcome = "quarantined";
      break;
    case "too_large":
      step = "rejecting";
      await rejectFile(input.fileId, verdict.reason);
      outcome = "rejected";
      break;
    case "settled":
      outcome = "settled";
      break;
  }
  step = "done";
  log.info("file lifecycle finished", { fileId: input.fileId, outcome });
  return outcome;
}
