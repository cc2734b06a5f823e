/**
 * Every S3 key Coffer writes, in one place. A file's bytes live under `<ownerId>/<fileId>` while it
 * is uploading, processing or ready, and move to `quarantine/<ownerId>/<fileId>` when infected; a
 * ready image gets `thumbnails/<ownerId>/<fileId>.webp`, a previewable file
 * `previews/<ownerId>/<fileId>.webp`. Per-user prefixes let the nightly reconcile walk one user's
 * objects at a time.
 */

/** The ids a key is made of. */
export interface KeyedFile {
  ownerId: string;
  id: string;
}

/** Where an uploaded file's bytes live (the multipart upload's target). */
export const fileKey = (file: KeyedFile) => `${file.ownerId}/${file.id}`;
/** Where an infected file's bytes go. */
export const quarantineKey = (file: KeyedFile) => `quarantine/${file.ownerId}/${file.id}`;
/** A ready image's 256 px WebP thumbnail. */
export const thumbnailKey = (file: KeyedFile) => `thumbnails/${file.ownerId}/${file.id}.webp`;
/** Where a user's preview images live. */
const previewsPrefix = (userId: string) => `previews/${userId}/`;
/** A ready file's preview image. */
export const previewKey = (file: KeyedFile) => `${previewsPrefix(file.ownerId)}${file.id}.webp`;

/** The per-user prefixes the nightly reconcile walks, in the order it walks them. */
export type ObjectArea = "files" | "quarantine" | "thumbnails";
export const OBJECT_AREAS: readonly ObjectArea[] = ["files", "quarantine", "thumbnails"];

/** The prefix of a user's objects in an area: `<userId>/`, `quarantine/<userId>/` or `thumbnails/<userId>/`. */
export function areaPrefix(area: ObjectArea, userId: string): string {
  switch (area) {
    case "files":
      return `${userId}/`;
    case "quarantine":
      return `quarantine/${userId}/`;
    case "thumbnails":
      return `thumbnails/${userId}/`;
  }
}

/** Every key a file may have written, wherever its bytes were when it ended. */
export const everyKeyOf = (file: KeyedFile) => [
  fileKey(file),
  quarantineKey(file),
  thumbnailKey(file),
  previewKey(file),
];

/** Every prefix a user's objects can live under (account deletion empties each). */
export const accountPrefixes = (userId: string) => [
  ...OBJECT_AREAS.map((area) => areaPrefix(area, userId)),
  previewsPrefix(userId),
];
