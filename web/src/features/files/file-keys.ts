/** Query keys of the file browser's server state. */
export const fileKeys = {
  all: ["files"] as const,
  listings: () => ["files", "folder"] as const,
  folder: (folderId: string | null) => ["files", "folder", folderId ?? "root"] as const,
  trash: () => ["files", "trash"] as const,
  search: (q: string) => ["files", "search", q] as const,
};
