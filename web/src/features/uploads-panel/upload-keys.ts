/** Query keys of the uploads panel. */
export const uploadKeys = {
  all: ["uploads"] as const,
  /** GET /uploads, read once per page load to list what a reload left open. */
  open: () => [...uploadKeys.all, "open"] as const,
  /** GET /files/{id} while the file is being scanned. */
  scan: (fileId: string) => [...uploadKeys.all, "scan", fileId] as const,
};
