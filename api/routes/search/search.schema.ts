import { z } from "zod";

/** Opaque cursor of a search: base64url of {name, id} of the last hit. */
const cursor = z
  .string()
  .max(2048)
  .transform((value, ctx) => {
    try {
      const parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as unknown;
      return z.object({ name: z.string().min(1).max(1024), id: z.uuid() }).parse(parsed);
    } catch {
      ctx.addIssue({ code: "custom", message: "is not a cursor this API gave out" });
      return z.NEVER;
    }
  });

export const SearchSchema = z.object({
  query: z.object({
    q: z
      .string()
      .transform((text) => text.trim().normalize("NFC"))
      .pipe(z.string().min(1, "must not be empty").max(255))
      .describe("Text the name contains, case-insensitive; % and _ match themselves."),
    limit: z.coerce.number().int().min(1).max(100).default(20).describe("Hits per page, 1–100 (default 20)."),
    cursor: cursor.optional().describe("nextCursor of the previous page."),
  }),
});
export type SearchReq = z.infer<typeof SearchSchema>;
