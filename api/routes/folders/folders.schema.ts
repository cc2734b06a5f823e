import { z } from "zod";
import { itemName } from "../../../lib/names";

const folderParams = z.object({
  id: z.uuid().describe("The folder's id."),
});

/** Opaque cursor of a folder listing: base64url of {kind, name, id}. */
const cursor = z
  .string()
  .max(2048)
  .transform((value, ctx) => {
    try {
      const parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as unknown;
      return z.object({ kind: z.enum(["folder", "file"]), name: itemName, id: z.uuid() }).parse(parsed);
    } catch {
      ctx.addIssue({ code: "custom", message: "is not a cursor this API gave out" });
      return z.NEVER;
    }
  });

export const listingQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(100).describe("Items per page, 1–200 (default 100)."),
  cursor: cursor.optional().describe("nextCursor of the previous page."),
});

export const FoldersCreateSchema = z.object({
  body: z.object({
    name: itemName.describe('Folder name: 1–255 bytes after NFC, no "/", no control characters.'),
    parentId: z.uuid().nullish().describe("Parent folder; the root when absent or null."),
  }),
});
export type FoldersCreateReq = z.infer<typeof FoldersCreateSchema>;

export const FoldersRootSchema = z.object({ query: listingQuery });
export type FoldersRootReq = z.infer<typeof FoldersRootSchema>;

export const FoldersShowSchema = z.object({ params: folderParams, query: listingQuery });
export type FoldersShowReq = z.infer<typeof FoldersShowSchema>;

export const FoldersUpdateSchema = z.object({
  params: folderParams,
  body: z
    .object({
      name: itemName.optional().describe("New name."),
      parentId: z.uuid().nullable().optional().describe("New parent; null for the root."),
    })
    .refine((body) => body.name !== undefined || body.parentId !== undefined, "give name or parentId"),
});
export type FoldersUpdateReq = z.infer<typeof FoldersUpdateSchema>;

export const FolderParamsSchema = z.object({ params: folderParams });
export type FolderParamsReq = z.infer<typeof FolderParamsSchema>;

export const TrashListSchema = z.object({
  query: z.object({
    limit: z.coerce.number().int().min(1).max(500).default(200).describe("Items of each kind, 1–500 (default 200)."),
  }),
});
export type TrashListReq = z.infer<typeof TrashListSchema>;
