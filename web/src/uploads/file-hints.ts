import type { HintStorage, OpenUpload, ResumeRefusal, UploadSource } from "./types";

/** What we remember of the file behind an open upload, to recognise it after a reload. */
export interface FileHint {
  name: string;
  sizeBytes: number;
  lastModified: number;
}

export interface FileHints {
  save(fileId: string, hint: FileHint): void;
  load(fileId: string): FileHint | null;
  remove(fileId: string): void;
}

const keyOf = (fileId: string) => `coffer.upload.${fileId}`;

/** Hints in Web Storage. Only hints: a full or unavailable storage is ignored, the server is the truth. */
export function createFileHints(storage: HintStorage | undefined): FileHints {
  const attempt = <T>(action: () => T, fallback: T): T => {
    if (!storage) return fallback;
    try {
      return action();
    } catch {
      return fallback;
    }
  };
  return {
    save: (fileId, hint) => attempt(() => storage?.setItem(keyOf(fileId), JSON.stringify(hint)), undefined),
    load: (fileId) =>
      attempt(() => {
        const text = storage?.getItem(keyOf(fileId));
        const hint = text ? (JSON.parse(text) as Partial<FileHint>) : null;
        return hint && typeof hint.lastModified === "number" ? (hint as FileHint) : null;
      }, null),
    remove: (fileId) => attempt(() => storage?.removeItem(keyOf(fileId)), undefined),
  };
}

/** Is `file` the one the open upload was started with? Name and size must match, and the hint's lastModified if we kept one. */
export function checkSameFile(upload: OpenUpload, file: UploadSource, hint: FileHint | null): ResumeRefusal | null {
  const expected = upload.file;
  if (file.name.normalize("NFC") !== expected.name.normalize("NFC")) {
    return {
      ok: false,
      reason: "name_mismatch",
      message: `This is not the file being uploaded: pick “${expected.name}”.`,
    };
  }
  if (file.size !== expected.sizeBytes) {
    return {
      ok: false,
      reason: "size_mismatch",
      message: `“${file.name}” is ${file.size} bytes; the upload expects ${expected.sizeBytes}. Pick the same file, or cancel this upload.`,
    };
  }
  if (hint && hint.lastModified !== file.lastModified) {
    return {
      ok: false,
      reason: "modified",
      message: `“${file.name}” changed since its upload started; cancel this upload and upload it again.`,
    };
  }
  return null;
}
