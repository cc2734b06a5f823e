import { useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../lib/api/client";
import type { components } from "../../lib/api/schema";
import { meKeys } from "../../lib/api/query-keys";
import { fileKeys } from "./file-keys";

export type FileItem = components["schemas"]["File"];
export type FolderItem = components["schemas"]["Folder"];
export type Crumb = { id: string; name: string };
export type Entry = { kind: "folder"; item: FolderItem } | { kind: "file"; item: FileItem };

export interface Listing {
  folder: FolderItem | null;
  path: Crumb[];
  folders: FolderItem[];
  files: FileItem[];
}

const PAGE = 200;
const MAX_PAGES = 25;

/** Every page of a folder's content (the root when folderId is null). */
export async function fetchListing(folderId: string | null): Promise<Listing> {
  const all: Listing = { folder: null, path: [], folders: [], files: [] };
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = { limit: PAGE, cursor };
    const data = folderId
      ? unwrap(await api.GET("/folders/{id}", { params: { path: { id: folderId }, query } }))
      : unwrap(await api.GET("/folders/root", { params: { query } }));
    all.folder = data.folder;
    all.path = data.path;
    all.folders.push(...data.folders);
    all.files.push(...data.files);
    if (!data.nextCursor) break;
    cursor = data.nextCursor;
  }
  return all;
}

/** True while some file of the listing is still moving towards ready (its badge will change). */
export const isSettling = (listing: Listing | undefined) =>
  !!listing?.files.some((f) => f.status === "uploading" || f.status === "processing");

/** Why a file cannot be downloaded or shared yet, or null when it can. */
export function notReadyReason(file: FileItem): string | null {
  switch (file.status) {
    case "ready":
      return null;
    case "uploading":
      return "Still uploading: it can be downloaded once the upload finishes and the scan passes.";
    case "processing":
      return "Being scanned for viruses: it can be downloaded once the scan passes.";
    case "quarantined":
      return `A threat was found${file.statusReason ? ` (${file.statusReason})` : ""}: it cannot be downloaded or shared.`;
    default:
      return `The upload ${file.status === "rejected" ? "was rejected" : "failed"}${file.statusReason ? ` (${file.statusReason})` : ""}: upload it again.`;
  }
}

/** Opens the presigned URL of a ready file: the browser saves it under its name. */
export async function downloadFile(fileId: string): Promise<void> {
  const { url } = unwrap(await api.GET("/files/{id}/download-url", { params: { path: { id: fileId } } }));
  window.location.assign(url);
}

const patchListing = (client: QueryClient, folderId: string | null, change: (listing: Listing) => Listing) =>
  client.setQueryData<Listing>(fileKeys.folder(folderId), (old) => (old ? change(old) : old));

const byName = <T extends { name: string }>(items: T[]) => [...items].sort((a, b) => a.name.localeCompare(b.name));

const withoutEntry = (listing: Listing, entry: Entry): Listing =>
  entry.kind === "folder"
    ? { ...listing, folders: listing.folders.filter((f) => f.id !== entry.item.id) }
    : { ...listing, files: listing.files.filter((f) => f.id !== entry.item.id) };

/** Optimistic rename / move of a folder or file in the listing of `folderId`, rolled back on error. */
export function useUpdateEntry(folderId: string | null) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ entry, name, targetId }: { entry: Entry; name?: string; targetId?: string | null }) => {
      const id = entry.item.id;
      if (entry.kind === "folder") {
        return unwrap(
          await api.PATCH("/folders/{id}", { params: { path: { id } }, body: { name, parentId: targetId } }),
        );
      }
      return unwrap(await api.PATCH("/files/{id}", { params: { path: { id } }, body: { name, folderId: targetId } }));
    },
    onMutate: async ({ entry, name, targetId }) => {
      await client.cancelQueries({ queryKey: fileKeys.folder(folderId) });
      const before = client.getQueryData<Listing>(fileKeys.folder(folderId));
      patchListing(client, folderId, (listing) => {
        if (targetId !== undefined) return withoutEntry(listing, entry);
        return entry.kind === "folder"
          ? {
              ...listing,
              folders: byName(
                listing.folders.map((f) => (f.id === entry.item.id ? { ...f, name: name ?? f.name } : f)),
              ),
            }
          : {
              ...listing,
              files: byName(listing.files.map((f) => (f.id === entry.item.id ? { ...f, name: name ?? f.name } : f))),
            };
      });
      return { before };
    },
    onError: (_error, _vars, context) => {
      if (context?.before) client.setQueryData(fileKeys.folder(folderId), context.before);
    },
    onSettled: (_data, _error, { targetId }) => {
      void client.invalidateQueries({ queryKey: fileKeys.folder(folderId) });
      if (targetId !== undefined) void client.invalidateQueries({ queryKey: fileKeys.folder(targetId) });
    },
  });
}

export function useCreateFolder(parentId: string | null) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (name: string) => unwrap(await api.POST("/folders", { body: { name, parentId } })),
    onSuccess: () => client.invalidateQueries({ queryKey: fileKeys.folder(parentId) }),
  });
}

export async function trashEntry(entry: Entry) {
  const id = entry.item.id;
  if (entry.kind === "folder") unwrap(await api.DELETE("/folders/{id}", { params: { path: { id } } }));
  else unwrap(await api.DELETE("/files/{id}", { params: { path: { id } } }));
}

export async function restoreEntry(kind: Entry["kind"], id: string) {
  if (kind === "folder") unwrap(await api.POST("/folders/{id}/restore", { params: { path: { id } } }));
  else unwrap(await api.POST("/files/{id}/restore", { params: { path: { id } } }));
}

/** Moves to the trash: the listing and the trash change. */
export function useTrashEntry(folderId: string | null) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: trashEntry,
    onMutate: async (entry) => {
      await client.cancelQueries({ queryKey: fileKeys.folder(folderId) });
      const before = client.getQueryData<Listing>(fileKeys.folder(folderId));
      patchListing(client, folderId, (listing) => withoutEntry(listing, entry));
      return { before };
    },
    onError: (_error, _entry, context) => {
      if (context?.before) client.setQueryData(fileKeys.folder(folderId), context.before);
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: fileKeys.folder(folderId) });
      void client.invalidateQueries({ queryKey: fileKeys.trash() });
    },
  });
}

/** Restores from the trash: the trash and every listing (it returns to its old folder) change. */
export function useRestoreEntry() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, id }: { kind: Entry["kind"]; id: string }) => restoreEntry(kind, id),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: fileKeys.trash() });
      void client.invalidateQueries({ queryKey: fileKeys.listings() });
    },
  });
}

/** Deletes a trashed file for good: the trash and the quota change. */
export function useDeleteForGood() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (fileId: string) =>
      unwrap(await api.DELETE("/files/{id}", { params: { path: { id: fileId }, query: { permanent: "true" } } })),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: fileKeys.trash() });
      void client.invalidateQueries({ queryKey: meKeys.me() });
    },
  });
}
