import { z } from "zod";

export const CleanupSchema = z.object({
  body: z.strictObject({
    /** true: report what the housekeeping would do and change nothing; false: do it. */
    dryRun: z.boolean(),
  }),
});
export type CleanupReq = z.infer<typeof CleanupSchema>;
