import { z } from "zod";

const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

const shareParams = z.object({
  /** The share's id. */
  id: z.uuid(),
});

/** Opaque cursor of the share list: base64url of {us, id}. */
const cursor = z
  .string()
  .max(512)
  .transform((value, ctx) => {
    try {
      const parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as unknown;
      return z.object({ us: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), id: z.uuid() }).parse(parsed);
    } catch {
      ctx.addIssue({ code: "custom", message: "is not a cursor this API gave out" });
      return z.NEVER;
    }
  });

export const SharesCreateSchema = z.object({
  body: z.object({
    /** The file to share: the caller's, ready and not in the trash. */
    fileId: z.uuid(),
    /** Password a downloader must give; none or null for a link that needs none. 1–256 characters. */
    password: z.string().min(1).max(256).nullish(),
    /** When the link stops working (ISO 8601 with a time zone, in the future, within ten years); never when absent. */
    expiresAt: z.iso
      .datetime({ offset: true })
      .transform((value) => new Date(value))
      .refine((date) => date.getTime() > Date.now(), "must be in the future")
      .refine((date) => date.getTime() <= Date.now() + TEN_YEARS_MS, "must be within ten years")
      .nullish(),
    /** Downloads the link allows, 1–1000000; unlimited when absent. */
    maxDownloads: z.number().int().min(1).max(1_000_000).nullish(),
  }),
});
export type SharesCreateReq = z.infer<typeof SharesCreateSchema>;

export const SharesListSchema = z.object({
  query: z.object({
    /** Shares per page, 1–200 (default 50). */
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** nextCursor of the previous page. */
    cursor: cursor.optional(),
    /** Only the shares of this file. */
    fileId: z.uuid().optional(),
  }),
});
export type SharesListReq = z.infer<typeof SharesListSchema>;

export const SharesShowSchema = z.object({
  params: shareParams,
  query: z.object({
    /** Access-log entries to return, newest first, 1–1000 (default 100). */
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    /** nextBefore of the previous page: entries older than this one. */
    before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  }),
});
export type SharesShowReq = z.infer<typeof SharesShowSchema>;

export const ShareParamsSchema = z.object({ params: shareParams });
export type ShareParamsReq = z.infer<typeof ShareParamsSchema>;

const tokenParams = z.object({
  /** The link's token; anything that is not a token we gave out answers 404. */
  token: z.string().max(1024),
});

export const PublicShareSchema = z.object({ params: tokenParams });
export type PublicShareReq = z.infer<typeof PublicShareSchema>;

export const PublicDownloadSchema = z.object({
  params: tokenParams,
  /** A JSON or form body; the password may come in the X-Share-Password header instead. */
  body: z.object({
    /** The link's password, when it has one. */
    password: z.string().max(1024).optional(),
  }),
});
export type PublicDownloadReq = z.infer<typeof PublicDownloadSchema>;
