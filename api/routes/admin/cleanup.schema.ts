import { z } from "zod";

export const CleanupSchema = z.object({
  body: z.strictObject({
    dryRun: z.boolean().describe("true: report what the housekeeping would do and change nothing; false: do it."),
  }),
});
export type CleanupReq = z.infer<typeof CleanupSchema>;
