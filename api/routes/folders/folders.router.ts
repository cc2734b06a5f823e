import { z } from "zod";
import { findOwnedFolder } from "../../../db/commands/files/find";
import {
  type ListingCursor,
  breadcrumbs,
  createFolder,
  listFolderContent,
  restoreFolder,
  trashFolder,
  updateFolder,
} from "../../../db/commands/files/folders";
import { listTrash } from "../../../db/commands/files/manage";
import { notFound } from "../../../lib/domain-errors";
import { operation } from "../../route-table";
import { nextCursor, uuid } from "../../schemas";
import { FileView, FolderView, fileView, folderView } from "../files/views";
import * as T from "./folders.schema";

const encodeCursor = (cursor: ListingCursor | null) =>
  cursor ? Buffer.from(JSON.stringify(cursor)).toString("base64url") : null;

const FolderBody = z.object({ folder: FolderView });
const Listing = z.object({
  folder: FolderView.nullable().describe("null: the root."),
  path: z
    .array(z.object({ id: uuid, name: z.string() }))
    .meta({ description: "Breadcrumbs from the top folder down to this one" }),
  folders: z.array(FolderView),
  files: z.array(FileView),
  nextCursor,
});
const listingDescription = "Folders first, then files, each by name; live items only, one page at a time";

export const foldersRoutes = [
  operation({
    operationId: "createFolder",
    method: "post",
    path: "/folders",
    summary: "Create a folder",
    tag: "folders",
    auth: "user",
    input: T.FoldersCreateSchema,
    examples: { inRoot: { name: "Photos" } },
    responses: { 201: { description: "Created", body: FolderBody } },
    errors: [
      [404, "not_found", "No such parent"],
      [409, "name_taken"],
      [409, "folder_trashed", "The parent is in the trash"],
    ],
    handler: async (ctx) => {
      const folder = await createFolder(
        ctx.deps.db,
        ctx.state.userId!,
        ctx.input.body.name,
        ctx.input.body.parentId ?? null,
      );
      ctx.status = 201;
      ctx.body = { folder: folderView(folder) };
    },
  }),
  operation({
    operationId: "listRootFolder",
    method: "get",
    path: "/folders/root",
    summary: "What the root folder holds",
    description: listingDescription,
    tag: "folders",
    auth: "user",
    input: T.FoldersRootSchema,
    responses: { 200: { description: "One page of the root", body: Listing } },
    handler: async (ctx) => {
      const { limit, cursor } = ctx.input.query;
      const page = await listFolderContent(ctx.deps.db, ctx.state.userId!, null, limit, cursor);
      ctx.body = {
        folder: null,
        path: [],
        folders: page.folders.map(folderView),
        files: page.files.map(fileView),
        nextCursor: encodeCursor(page.nextCursor),
      };
    },
  }),
  operation({
    operationId: "listFolder",
    method: "get",
    path: "/folders/:id",
    summary: "A folder, its breadcrumbs and what it holds",
    description: listingDescription,
    tag: "folders",
    auth: "user",
    input: T.FoldersShowSchema,
    responses: { 200: { description: "One page of the folder", body: Listing } },
    errors: [[404, "not_found", "No such folder, or it is in the trash"]],
    handler: async (ctx) => {
      const { db } = ctx.deps;
      const folder = await findOwnedFolder(db, ctx.state.userId!, ctx.input.params.id);
      if (folder.trashedAt) throw notFound("folder");
      const { limit, cursor } = ctx.input.query;
      const page = await listFolderContent(db, ctx.state.userId!, folder.id, limit, cursor);
      ctx.body = {
        folder: folderView(folder),
        path: await breadcrumbs(db, folder.id),
        folders: page.folders.map(folderView),
        files: page.files.map(fileView),
        nextCursor: encodeCursor(page.nextCursor),
      };
    },
  }),
  operation({
    operationId: "updateFolder",
    method: "patch",
    path: "/folders/:id",
    summary: "Rename or move a folder",
    tag: "folders",
    auth: "user",
    input: T.FoldersUpdateSchema,
    responses: { 200: { description: "The folder as it is now", body: FolderBody } },
    errors: [
      [400, "bad_request", "Moving a folder into itself or one of its descendants"],
      [404, "not_found", "No such folder or parent"],
      [409, "name_taken"],
      [409, "folder_trashed"],
    ],
    handler: async (ctx) => {
      const { name, parentId } = ctx.input.body;
      const folder = await updateFolder({
        db: ctx.deps.db,
        ownerId: ctx.state.userId!,
        folderId: ctx.input.params.id,
        name,
        parentId,
      });
      ctx.body = { folder: folderView(folder) };
    },
  }),
  operation({
    operationId: "trashFolder",
    method: "delete",
    path: "/folders/:id",
    summary: "Move a folder and everything in it to the trash",
    tag: "folders",
    auth: "user",
    input: T.FolderParamsSchema,
    responses: { 200: { description: "Trashed", body: FolderBody } },
    errors: [
      [404, "not_found"],
      [409, "upload_open", "Finish or abort the uploads in it first"],
    ],
    handler: async (ctx) => {
      ctx.body = { folder: folderView(await trashFolder(ctx.deps.db, ctx.state.userId!, ctx.input.params.id)) };
    },
  }),
  operation({
    operationId: "restoreFolder",
    method: "post",
    path: "/folders/:id/restore",
    summary: "Bring a folder and its content back from the trash",
    tag: "folders",
    auth: "user",
    input: T.FolderParamsSchema,
    responses: { 200: { description: "Restored", body: FolderBody } },
    errors: [
      [404, "not_found"],
      [409, "in_trashed_folder", "Restore the folder it was trashed with"],
      [409, "name_taken"],
    ],
    handler: async (ctx) => {
      ctx.body = { folder: folderView(await restoreFolder(ctx.deps.db, ctx.state.userId!, ctx.input.params.id)) };
    },
  }),
  operation({
    operationId: "listTrash",
    method: "get",
    path: "/trash",
    summary: "What the caller trashed (top-level items only)",
    tag: "folders",
    auth: "user",
    input: T.TrashListSchema,
    responses: {
      200: {
        description: "Trashed folders and files",
        body: z.object({ folders: z.array(FolderView), files: z.array(FileView) }),
      },
    },
    handler: async (ctx) => {
      const { folders, files } = await listTrash(ctx.deps.db, ctx.state.userId!, ctx.input.query.limit);
      ctx.body = { folders: folders.map(folderView), files: files.map(fileView) };
    },
  }),
];
