import { z } from "zod";
import { filesOfShares, findOwnedShare, listShares, type ShareListCursor } from "../../../db/commands/shares/find";
import { listShareDownloads } from "../../../db/commands/shares/downloads";
import { createShare, revokeShare } from "../../../db/commands/shares/manage";
import type { File } from "../../../db/models";
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
    summary: "Share a ready file through a public link, with optional password, expiry and download limit",
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
      [404, "not_found", "No such file"],
      [409, "not_ready", "Only ready files can be shared"],
    ],
    handler: async (ctx) => {
      const { db, config } = ctx.deps;
      const { fileId, password, expiresAt, maxDownloads } = ctx.input.body;
      const share = await createShare({
        db,
        ownerId: ctx.state.userId!,
        fileId,
        password,
        expiresAt,
        maxDownloads,
        ip: clientIp(ctx),
      });
      const files = await filesOfShares(db, [share]);
      ctx.status = 201;
      ctx.body = {
        share: shareView(share, files.get(fileId) ?? null, config.APP_URL),
        url: shareUrl(config.APP_URL, share.token),
      };
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
      const files = await filesOfShares(db, page.shares);
      const now = new Date();
      ctx.body = {
        shares: page.shares.map((share) => shareView(share, fileOf(files, share.fileId), config.APP_URL, now)),
        nextCursor: encodeCursor(page.nextCursor),
      };
    },
  }),
  operation({
    operationId: "getShare",
    method: "get",
    path: "/shares/:id",
    summary: "A share and its access log, newest first",
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
      const [files, downloads] = await Promise.all([
        filesOfShares(db, [share]),
        listShareDownloads(db, share.id, limit, before),
      ]);
      const last = downloads[downloads.length - 1];
      ctx.body = {
        share: shareView(share, fileOf(files, share.fileId), config.APP_URL),
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
      const files = await filesOfShares(db, [share]);
      ctx.body = { share: shareView(share, fileOf(files, share.fileId), config.APP_URL) };
    },
  }),
];

function fileOf(files: Map<string, File>, fileId: string | null): File | null {
  return fileId ? (files.get(fileId) ?? null) : null;
}
