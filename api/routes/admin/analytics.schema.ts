import { z } from "zod";

const DAY = 24 * 3600 * 1000;

/** A date range, [from, to); the last 30 days when absent. At most 366 days. */
const range = z
  .object({
    from: z.iso.datetime({ offset: true }).optional().describe("Start of the range, ISO 8601 (inclusive)."),
    to: z.iso.datetime({ offset: true }).optional().describe("End of the range, ISO 8601 (exclusive)."),
  })
  .transform(({ from, to }, ctx) => {
    const end = to ? new Date(to) : new Date();
    const start = from ? new Date(from) : new Date(end.getTime() - 30 * DAY);
    if (start >= end) ctx.addIssue({ code: "custom", path: ["from"], message: "must be before to" });
    if (end.getTime() - start.getTime() > 366 * DAY)
      ctx.addIssue({ code: "custom", path: ["from"], message: "range must be at most 366 days" });
    return { from: start, to: end };
  });

export const AnalyticsRangeSchema = z.object({ query: range });
export type AnalyticsRangeReq = z.infer<typeof AnalyticsRangeSchema>;

export const TopUsersSchema = z.object({
  query: z.intersection(
    range,
    z.object({
      limit: z.coerce.number().int().min(1).max(100).default(10).describe("How many users, 1–100 (default 10)."),
    }),
  ),
});
export type TopUsersReq = z.infer<typeof TopUsersSchema>;
