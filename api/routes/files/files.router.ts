import type { Knex } from "knex";
import { z } from "zod";
import { findOwnedFile } from "../../../db/commands/files/find";
import type { File } from "../../../db/models";
import { deleteFilePermanently, restoreFile, trashFile, updateFile } from "../../../db/commands/files/manage";
import { DomainError, notFound } from "../../../lib/domain-errors";
import { statusRule } from "../../../lib/file-status";
import { operation } from "../../route-table";
import { timestamp } from "../../schemas";
import * as T from "./files.schema";
import { FileView, fileView } from "./views";

const FileBody = z.object({ file: FileView });
const DownloadUrl = z.object({
  url: z.string().describe("Presigned GET, saved under the file's name"),
  expiresAt: timestamp,
});
const redirect = (what: string) => ({
  description: `Redirect to a short-lived presigned GET of ${what}`,
  headers: { Location: "The presigned URL" },
});

/** The type a download is sent with: the one detected from the bytes, never the uploader's claim. */
const servedType = (file: File) => file.detectedMimeType ?? "application/octet-stream";

/** The user's file if it may be downloaded: ready and not in the trash. */
async function findReadyFile(db: Knex, ownerId: string, fileId: string) {
  const file = await findOwnedFile(db, ownerId, fileId);
  if (!statusRule(file.status).servable)
    throw new DomainError("not_ready", `The file is ${file.status}, not ready for download.`);
  if (file.trashedAt) throw new DomainError("file_trashed", "Restore the file from the trash to download it.");
  return file;
}

export const filesRoutes = [
  operation({
    operationId: "getFile",
    method: "get",
    path: "/files/:id",
    summary: "A file of the caller's: status, size, sha256 once scanned",
    tag: "files",
    auth: "user",
    input: T.FileGetSchema,
    responses: { 200: { description: "The file", body: FileBody } },
    errors: [[404, "not_found"]],
    handler: async (ctx) => {
      const { db, fileWaits } = ctx.deps;
      const { params, query } = ctx.input;
      let file!: File;
      const stillProcessing = async () => {
        file = await findOwnedFile(db, ctx.state.userId!, params.id);
        return file.status === "processing";
      };
      // A wait registers before its first read, so one read serves both the answer and the race check.
      if (query.waitSeconds > 0) await fileWaits.waitWhile(params.id, stillProcessing, query.waitSeconds * 1000);
      else await stillProcessing();
      ctx.body = { file: fileView(file) };
    },
  }),
  operation({
    operationId: "downloadFile",
    method: "get",
    path: "/files/:id/download",
    summary: "Download a ready file (302 to storage, saved under the file's name)",
    tag: "files",
    auth: "user",
    input: T.FileParamsSchema,
    responses: { 302: redirect("the file, as an attachment") },
    errors: [
      [404, "not_found"],
      [409, "not_ready", "Only ready files are served"],
      [409, "file_trashed"],
    ],
    handler: async (ctx) => {
      const { db, urls, config } = ctx.deps;
      const file = await findReadyFile(db, ctx.state.userId!, ctx.input.params.id);
      ctx.redirect(await urls.download(file.s3Key, config.DOWNLOAD_URL_TTL_SECONDS, file.name, servedType(file)));
    },
  }),
  operation({
    operationId: "getFileDownloadUrl",
    method: "get",
    path: "/files/:id/download-url",
    summary: "A short-lived presigned GET of a ready file, as JSON (for browsers, which cannot read a 302's Location)",
    tag: "files",
    auth: "user",
    input: T.FileParamsSchema,
    responses: { 200: { description: "Navigate to url to download the file as an attachment", body: DownloadUrl } },
    errors: [
      [404, "not_found"],
      [409, "not_ready", "Only ready files are served"],
      [409, "file_trashed"],
    ],
    handler: async (ctx) => {
      const { db, urls, config } = ctx.deps;
      const file = await findReadyFile(db, ctx.state.userId!, ctx.input.params.id);
      const expiresAt = new Date(Date.now() + config.DOWNLOAD_URL_TTL_SECONDS * 1000);
      ctx.body = {
        url: await urls.download(file.s3Key, config.DOWNLOAD_URL_TTL_SECONDS, file.name, servedType(file)),
        expiresAt,
      };
    },
  }),
  operation({
    operationId: "getFileThumbnail",
    method: "get",
    path: "/files/:id/thumbnail",
    summary: "The 256 px WebP thumbnail of a ready image",
    tag: "files",
    auth: "user",
    input: T.FileParamsSchema,
    responses: { 302: redirect("the thumbnail") },
    errors: [[404, "not_found", "No such file, or it has no thumbnail"]],
    handler: async (ctx) => {
      const { db, urls, config } = ctx.deps;
      const file = await findOwnedFile(db, ctx.state.userId!, ctx.input.params.id);
      if (!file.thumbnailKey || !statusRule(file.status).servable) throw notFound("thumbnail");
      ctx.redirect(await urls.download(file.thumbnailKey, config.DOWNLOAD_URL_TTL_SECONDS));
    },
  }),
  operation({
    operationId: "getFilePreview",
    method: "get",
    path: "/files/:id/preview",
    summary: "A larger WebP preview: 1600 px for images, a poster frame for videos, the first page of PDFs",
    tag: "files",
    auth: "user",
    input: T.FileParamsSchema,
    responses: { 302: redirect("the preview") },
    errors: [[404, "not_found", "No such file, or it has no preview"]],
    handler: async (ctx) => {
      const { db, urls, config } = ctx.deps;
      const file = await findOwnedFile(db, ctx.state.userId!, ctx.input.params.id);
      if (!file.previewKey || !statusRule(file.status).servable) throw notFound("preview");
      ctx.redirect(await urls.download(file.previewKey, config.DOWNLOAD_URL_TTL_SECONDS, undefined, "image/webp"));
    },
  }),
  operation({
    operationId: "updateFile",
    method: "patch",
    path: "/files/:id",
    summary: "Rename or move a file",
    tag: "files",
    auth: "user",
    input: T.FilesUpdateSchema,
    responses: { 200: { description: "The file as it is now", body: FileBody } },
    errors: [
      [404, "not_found", "No such file or target folder"],
      [409, "name_taken"],
      [409, "file_trashed"],
    ],
    handler: async (ctx) => {
      const { name, folderId } = ctx.input.body;
      const file = await updateFile({
        db: ctx.deps.db,
        ownerId: ctx.state.userId!,
        fileId: ctx.input.params.id,
        name,
        folderId,
      });
      ctx.body = { file: fileView(file) };
    },
  }),
  operation({
    operationId: "deleteFile",
    method: "delete",
    path: "/files/:id",
    summary: "Move a file to the trash, or with permanent=true delete it for good",
    tag: "files",
    auth: "user",
    input: T.FilesDeleteSchema,
    responses: {
      200: { description: "Trashed; it still counts against the quota until purged", body: FileBody },
      204: { description: "Deleted for good: object gone, bytes released, shares revoked" },
    },
    errors: [
      [404, "not_found"],
      [409, "upload_open", "Abort the upload instead"],
    ],
    handler: async (ctx) => {
      const { db, storage } = ctx.deps;
      const ownerId = ctx.state.userId!;
      const fileId = ctx.input.params.id;
      if (ctx.input.query.permanent === "true") {
        const deleted = await deleteFilePermanently({
          db,
          storage,
          fileId,
          ownerId,
          actorId: ownerId,
          reason: "deleted_by_owner",
        });
        if (!deleted) throw notFound("file");
        ctx.status = 204;
        return;
      }
      ctx.body = { file: fileView(await trashFile(db, ownerId, fileId)) };
    },
  }),
  operation({
    operationId: "restoreFile",
    method: "post",
    path: "/files/:id/restore",
    summary: 'Bring a file back from the trash (a name clash becomes "name (1)")',
    tag: "files",
    auth: "user",
    input: T.FileParamsSchema,
    responses: { 200: { description: "The restored file", body: FileBody } },
    errors: [
      [404, "not_found"],
      [409, "quarantined", "An infected file cannot be restored"],
      [409, "in_trashed_folder", "Restore the folder it was trashed with"],
    ],
    handler: async (ctx) => {
      ctx.body = { file: fileView(await restoreFile(ctx.deps.db, ctx.state.userId!, ctx.input.params.id)) };
    },
  }),
];
