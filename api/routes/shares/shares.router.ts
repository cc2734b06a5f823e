import type { Knex } from "knex";
import { z } from "zod";
import { filesOfShares, findOwnedShare, listShares, type ShareListCursor } from "../../../db/commands/shares/find";
import { listShareDownloads } from "../../../db/commands/shares/downloads";
import { createShare, revokeShare } from "../../../db/commands/shares/manage";
import type { Share } from "../../../db/models";
import { updateShare } from "../../../db/commands/shares/edit";
import { createFolderShare, foldersOfShares } from "../../../db/commands/shares/folder-shares";
import { shareUrl } from "../../../lib/share-rules";
import { clientIp } from "../../middleware/rate-limit";
import { operation } from "../../route-table";
import { nextCursor } from "../../schemas";
import * as T from "./shares.schema";
import { ShareDownloadView, ShareView, shareDownloadView, shareView } from "./views";

const encodeCursor = (cursor: ShareListCursor | null) =>
  cursor ? Buffer.from(JSON.stringify(cursor)).toString("base64url") : null;

const ShareBody = z.object({ share: ShareView });

/** The owner's side of shares: create, list, inspect (with the access log), revoke. */
export const sharesRoutes = [
  operation({
    operationId: "createShare",
    method: "post",
    path: "/shares",
    summary: "Share a ready file, or a folder (one ZIP of its ready files), through a public link",
    description:
      "A password costs an argon2 hash: shares with one are limited per user (RATE_LIMIT_SHARE_PASSWORD_PER_MINUTE).",
    tag: "shares",
    auth: "user",
    rateLimit: "sharePassword",
    rateLimitIf: (ctx) => Boolean((ctx.input as T.SharesCreateReq).body.password),
    input: T.SharesCreateSchema,
    examples: { once: { fileId: "0b6f3c1e-2f4a-4c36-9d5e-3f1f4f9d2a11", password: "open sesame", maxDownloads: 1 } },
    responses: { 201: { description: "The share and its link", body: ShareBody.extend({ url: z.string() }) } },
    errors: [
      [404, "not_found", "No such file or folder"],
      [409, "not_ready", "Only ready files can be shared"],
      [409, "file_trashed", "Restore the file first"],
      [409, "folder_trashed", "Restore the folder first"],
    ],
    handler: async (ctx) => {
      const { db, config } = ctx.deps;
      const { fileId, folderId, ...limits } = ctx.input.body;
      const common = { db, ownerId: ctx.state.userId!, ...limits, ip: clientIp(ctx) };
      const share = fileId
        ? await createShare({ ...common, fileId })
        : await createFolderShare({ ...common, folderId: folderId! });
      const [view] = await shareViews(db, [share], config.APP_URL);
      ctx.status = 201;
      ctx.body = { share: view!, url: shareUrl(config.APP_URL, share.token) };
    },
  }),
  operation({
    operationId: "listShares",
    method: "get",
    path: "/shares",
    summary: "The caller's shares, newest first",
    tag: "shares",
    auth: "user",
    input: T.SharesListSchema,
    responses: {
      200: { description: "One page of shares", body: z.object({ shares: z.array(ShareView), nextCursor }) },
    },
    handler: async (ctx) => {
      const { db, config } = ctx.deps;
      const { limit, cursor, fileId } = ctx.input.query;
      const page = await listShares({ db, ownerId: ctx.state.userId!, limit, after: cursor, fileId });
      ctx.body = {
        shares: await shareViews(db, page.shares, config.APP_URL),
        nextCursor: encodeCursor(page.nextCursor),
      };
    },
  }),
  operation({
    operationId: "getShare",
    method: "get",
    path: "/shares/:id",
    summary: "A share and the first page of its access log, newest first (more: GET /shares/{id}/downloads)",
    tag: "shares",
    auth: "user",
    input: T.SharesShowSchema,
    responses: {
      200: {
        description: "The share and one page of its downloads",
        body: z.object({
          share: ShareView,
          downloads: z.array(ShareDownloadView),
          nextBefore: z
            .number()
            .int()
            .nullable()
            .describe("Pass back as `before` for older entries; null on the last page."),
        }),
      },
    },
    errors: [[404, "not_found"]],
    handler: async (ctx) => {
      const { db, config } = ctx.deps;
      const share = await findOwnedShare(db, ctx.state.userId!, ctx.input.params.id);
      const { limit, before } = ctx.input.query;
      const [[view], downloads] = await Promise.all([
        shareViews(db, [share], config.APP_URL),
        listShareDownloads(db, share.id, limit, before),
      ]);
      const last = downloads[downloads.length - 1];
      ctx.body = {
        share: view!,
        downloads: downloads.map(shareDownloadView),
        nextBefore: downloads.length === limit && last ? last.id : null,
      };
    },
  }),
  operation({
    operationId: "revokeShare",
    method: "delete",
    path: "/shares/:id",
    summary: "Revoke a share: its link answers 410 from now on",
    tag: "shares",
    auth: "user",
    input: T.ShareParamsSchema,
    responses: { 200: { description: "The revoked share", body: ShareBody } },
    errors: [[404, "not_found"]],
    handler: async (ctx) => {
      const { db, config } = ctx.deps;
      const share = await revokeShare({
        db,
        ownerId: ctx.state.userId!,
        shareId: ctx.input.params.id,
        ip: clientIp(ctx),
      });
      const [view] = await shareViews(db, [share], config.APP_URL);
      ctx.body = { share: view! };
    },
  }),
  operation({
    operationId: "updateShare",
    method: "patch",
    path: "/shares/:id",
    summary: "Change a link's password, expiry or download limit (null removes one)",
    description:
      "A new password costs an argon2 hash, limited like creating a share with one (RATE_LIMIT_SHARE_PASSWORD_PER_MINUTE).",
    tag: "shares",
    auth: "user",
    rateLimit: "sharePassword",
    rateLimitIf: (ctx) => Boolean((ctx.input as T.SharesUpdateReq).body.password),
    input: T.SharesUpdateSchema,
    examples: { longer: { expiresAt: "2027-01-31T23:59:59Z", maxDownloads: 10 } },
    responses: { 200: { description: "The share as it is now", body: ShareBody } },
    errors: [
      [400, "below_download_count", "maxDownloads below the downloads already made"],
      [404, "not_found"],
      [409, "share_revoked", "A revoked link cannot be changed"],
    ],
    handler: async (ctx) => {
      const { db, config } = ctx.deps;
      const share = await updateShare({
        db,
        ownerId: ctx.state.userId!,
        shareId: ctx.input.params.id,
        changes: ctx.input.body,
        ip: clientIp(ctx),
      });
      const [view] = await shareViews(db, [share], config.APP_URL);
      ctx.body = { share: view! };
    },
  }),
  operation({
    operationId: "listShareDownloads",
    method: "get",
    path: "/shares/:id/downloads",
    summary: "The access log of a link, newest first",
    tag: "shares",
    auth: "user",
    input: T.ShareDownloadsSchema,
    responses: {
      200: {
        description: "One page of the access log",
        body: z.object({ downloads: z.array(ShareDownloadView), nextCursor }),
      },
    },
    errors: [[404, "not_found"]],
    handler: async (ctx) => {
      const { db } = ctx.deps;
      const share = await findOwnedShare(db, ctx.state.userId!, ctx.input.params.id);
      const { limit, cursor } = ctx.input.query;
      const downloads = await listShareDownloads(db, share.id, limit, cursor);
      const last = downloads[downloads.length - 1];
      ctx.body = {
        downloads: downloads.map(shareDownloadView),
        nextCursor: downloads.length === limit && last ? String(last.id) : null,
      };
    },
  }),
];

/** Owner views of shares, with their files and folders read in two queries. */
async function shareViews(db: Knex, shares: Share[], appUrl: string) {
  const [files, folders] = await Promise.all([filesOfShares(db, shares), foldersOfShares(db, shares)]);
  const now = new Date();
  return shares.map((share) =>
    shareView(
      share,
      share.fileId ? (files.get(share.fileId) ?? null) : null,
      appUrl,
      now,
      share.folderId ? (folders.get(share.folderId) ?? null) : null,
    ),
  );
}
