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

/** Password a downloader must give; none or null for a link that needs none. 1–256 characters. */
const password = z.string().min(1).max(256).nullish();
/** When the link stops working (ISO 8601 with a time zone, in the future, within ten years); never when absent. */
const expiresAt = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value))
  .refine((date) => date.getTime() > Date.now(), "must be in the future")
  .refine((date) => date.getTime() <= Date.now() + TEN_YEARS_MS, "must be within ten years")
  .nullish();
/** Downloads the link allows, 1–1000000; unlimited when absent. */
const maxDownloads = z.number().int().min(1).max(1_000_000).nullish();

export const SharesCreateSchema = z.object({
  body: z
    .object({
      /** The file to share: the caller's, ready and not in the trash. */
      fileId: z.uuid().optional(),
      /** Or the folder to share (its ready files, subfolders included, as one ZIP): the caller's, not in the trash. */
      folderId: z.uuid().optional(),
      password,
      expiresAt,
      maxDownloads,
    })
    .refine((body) => (body.fileId === undefined) !== (body.folderId === undefined), {
      message: "give either fileId or folderId",
      path: ["fileId"],
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

export const SharesUpdateSchema = z.object({
  params: shareParams,
  body: z
    .strictObject({
      /** A new password (1–256 characters), or null to remove it. */
      password: z.string().min(1).max(256).nullable().optional(),
      /** A new expiry (in the future, within ten years), or null for none. */
      expiresAt: expiresAt,
      /** A new limit, not below the downloads already made, or null for none. */
      maxDownloads: maxDownloads,
    })
    .refine((body) => Object.keys(body).length > 0, "name at least one of password, expiresAt, maxDownloads"),
});
export type SharesUpdateReq = z.infer<typeof SharesUpdateSchema>;

export const ShareDownloadsSchema = z.object({
  params: shareParams,
  query: z.object({
    /** Entries per page, newest first, 1–1000 (default 100). */
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    /** nextCursor of the previous page. */
    cursor: z
      .string()
      .regex(/^[1-9][0-9]{0,15}$/, "is not a cursor this API gave out")
      .transform(Number)
      .optional(),
  }),
});
export type ShareDownloadsReq = z.infer<typeof ShareDownloadsSchema>;
