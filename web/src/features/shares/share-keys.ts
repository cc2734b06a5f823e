/** Query keys of the shares feature. */
export const shareKeys = {
  all: () => ["shares"] as const,
  list: () => ["shares", "list"] as const,
  accessLog: (id: string) => ["shares", "access-log", id] as const,
  file: (fileId: string) => ["shares", "file", fileId] as const,
  folder: (folderId: string) => ["shares", "folder", folderId] as const,
};
