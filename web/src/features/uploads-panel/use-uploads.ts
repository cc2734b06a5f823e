import { notifications } from "@mantine/notifications";
import { useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useSyncExternalStore } from "react";
import { errorMessage } from "../../lib/api/client";
import { meKeys } from "../../lib/api/query-keys";
import type { FinishedState, UploadRow, UploadSnapshot } from "../../uploads";
import { withFolderTree } from "./folder-tree";
import { fetchFile, fetchOpenUploads } from "./upload-api";
import { openUploads, uploadEngine } from "./upload-engine";
import { uploadKeys } from "./upload-keys";

/** What the file browser sends to start uploads (drop, "Upload files", "Upload folder"). */
export interface UploadFilesDetail {
  files: File[];
  folderId: string | null;
}

/** What the panel tells the file browser when a file has its scan result. */
export interface UploadFinishedDetail {
  fileId: string;
  folderId: string | null;
}

const subscribe = (listener: () => void) => uploadEngine().subscribe(listener);
const getSnapshot = () => uploadEngine().getSnapshot();

export function useUploadSnapshot(): UploadSnapshot {
  return useSyncExternalStore(subscribe, getSnapshot);
}

/** Adds the files of every `coffer:upload-files` event to the engine, folders first. */
export function useUploadRequests(): void {
  useEffect(() => {
    const onFiles = (event: Event) => {
      const { files, folderId } = (event as CustomEvent<UploadFilesDetail>).detail;
      withFolderTree(files, folderId).then(
        (uploads) => uploadEngine().add(uploads),
        (error: unknown) =>
          notifications.show({ color: "red", title: "The folders could not be made", message: errorMessage(error) }),
      );
    };
    window.addEventListener("coffer:upload-files", onFiles);
    return () => window.removeEventListener("coffer:upload-files", onFiles);
  }, []);
}

/** Lists the uploads a reload left open on the server, as rows waiting for their file. */
export function useOpenUploads(): void {
  const { data } = useQuery({
    queryKey: uploadKeys.open(),
    queryFn: fetchOpenUploads,
    staleTime: Infinity,
    gcTime: Infinity,
  });
  useEffect(() => {
    if (!data) return;
    for (const upload of data) openUploads.set(upload.file.id, upload);
    uploadEngine().restoreOpenUploads(data);
  }, [data]);
}

/** How long each request waits on the server for a scan's outcome (the API allows up to 25 s). */
const SCAN_WAIT_SECONDS = 20;

const FINISHED: readonly string[] = ["ready", "quarantined", "rejected", "failed"] satisfies FinishedState[];

/**
 * Waits for each file being scanned: every request waits up to 20 s on the server for the file's
 * status to change, and the next one follows at once. Records the outcome in the engine, tells the
 * file browser and refreshes the quota. `onFinished` hears each outcome once (for the live region).
 */
export function useScanResults(
  rows: readonly UploadRow[],
  onFinished: (row: UploadRow, status: FinishedState) => void,
): void {
  const queryClient = useQueryClient();
  const handled = useRef(new Set<string>());
  const scanning = useMemo(() => rows.filter((row) => row.state === "processing" && row.fileId), [rows]);
  const results = useQueries({
    queries: scanning.map((row) => ({
      queryKey: uploadKeys.scan(row.fileId!),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        fetchFile(row.fileId!, { waitSeconds: SCAN_WAIT_SECONDS, signal }),
      // Ticks while a request waits are dropped: a new one starts within this long after an answer.
      refetchInterval: 250,
      gcTime: 0,
    })),
  });
  useEffect(() => {
    scanning.forEach((row, index) => {
      const file = results[index]?.data;
      if (!file || !FINISHED.includes(file.status) || handled.current.has(row.id)) return;
      handled.current.add(row.id);
      const status = file.status as FinishedState;
      uploadEngine().markFinished(row.id, status, file.statusReason);
      window.dispatchEvent(
        new CustomEvent<UploadFinishedDetail>("coffer:upload-finished", {
          detail: { fileId: file.id, folderId: row.folderId },
        }),
      );
      void queryClient.invalidateQueries({ queryKey: meKeys.me() });
      onFinished(row, status);
    });
  }, [scanning, results, queryClient, onFinished]);
}
