/**
 * How the file browser and the upload panel talk without importing each other: window events.
 * The file browser asks for uploads; the panel announces progress and finished uploads.
 */
export const UPLOAD_FILES_EVENT = "coffer:upload-files";
export const UPLOAD_PROGRESS_EVENT = "coffer:upload-progress";
export const UPLOAD_FINISHED_EVENT = "coffer:upload-finished";

/** Files the user dropped or picked, to upload into `folderId` (null: the root). */
export interface UploadFilesDetail {
  files: File[];
  folderId: string | null;
}

/** Bytes sent of an open upload, so its row in the file browser can show a percentage. */
export interface UploadProgressDetail {
  fileId: string;
  /** 0–100. */
  percent: number;
}

/** An upload left the uploading state (completed, cancelled or failed); listings may have changed. */
export interface UploadFinishedDetail {
  fileId?: string;
  folderId?: string | null;
}

export function requestUpload(detail: UploadFilesDetail): void {
  window.dispatchEvent(new CustomEvent<UploadFilesDetail>(UPLOAD_FILES_EVENT, { detail }));
}
