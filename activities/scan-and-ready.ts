import { markFileReady } from "../db/commands/files/lifecycle";
import { findFile } from "../db/commands/files/find";
import type { ActivityDeps } from "./deps";
import { type ScanVerdict, scanFileActivity } from "./scan-file";
import { wantsReadyNotice } from "./notify";
import { wantsPreview } from "./preview";
import { wantsThumbnail } from "./thumbnail";

type CleanVerdict = Extract<ScanVerdict, { outcome: "clean" }>;

/** A scan verdict; a clean file is ready by the time it is returned, and says whether it gets a thumbnail. */
export type ScanAndReadyVerdict =
  Exclude<ScanVerdict, CleanVerdict> | (CleanVerdict & { thumbnail: boolean; preview?: boolean; notify?: boolean });

/**
 * scanFile, and for a clean verdict the ready transition in the same activity: a small file is
 * ready as soon as its scan ends, with no workflow task and no second activity in between (the
 * bench small-files, docs/benchmarks.md). Safe to run twice: an attempt whose completion was lost
 * after the file turned ready finds it ready and answers clean again, so the run still makes the
 * thumbnail and notifies; markFileReady itself changes only a file still processing.
 */
export function scanAndMarkReadyActivity(deps: ActivityDeps) {
  const scanFile = scanFileActivity(deps);
  return async function scanAndMarkReady(fileId: string): Promise<ScanAndReadyVerdict> {
    const verdict = await scanFile(fileId);
    if (verdict.outcome === "settled") {
      const file = await findFile(deps.db, fileId);
      if (file?.status === "ready" && file.sha256 && !file.trashedAt)
        return {
          outcome: "clean",
          sha256: file.sha256,
          thumbnail: wantsThumbnail(file) && !file.thumbnailKey,
          preview: wantsPreview(file) && !file.previewKey,
          notify: await wantsReadyNotice(deps, file),
        };
      return verdict;
    }
    if (verdict.outcome !== "clean") return verdict;
    // The ready file as the transition wrote it; one that was no longer processing is read as it is.
    const file = (await markFileReady(deps.db, fileId, verdict.sha256)) ?? (await findFile(deps.db, fileId));
    return {
      ...verdict,
      thumbnail: file ? wantsThumbnail(file) : false,
      preview: file ? wantsPreview(file) : false,
      notify: file ? await wantsReadyNotice(deps, file) : false,
    };
  };
}
