import { z } from "zod";

const limits = {
  /** The plan's name, unique: 1–64 characters. */
  name: z.string().trim().min(1).max(64).describe("Unique name, 1–64 characters."),
  /** Quota in bytes; every user on the plan gets it. */
  quotaBytes: z
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .describe("Quota in bytes of every user on the plan."),
  /** Files a user on the plan may hold. */
  maxFiles: z.number().int().min(0).max(2_147_483_647).describe("Files a user on the plan may hold."),
  /** The largest single file in bytes (PUBLIC_MAX_BYTES still caps it). */
  maxFileBytes: z
    .number()
    .int()
    .min(1)
    .max(Number.MAX_SAFE_INTEGER)
    .describe("The largest single file in bytes; PUBLIC_MAX_BYTES still caps it."),
};

export const CreatePlanSchema = z.object({ body: z.strictObject(limits) });
export type CreatePlanReq = z.infer<typeof CreatePlanSchema>;

export const UpdatePlanSchema = z.object({
  params: z.object({
    /** The plan to change. */
    id: z.uuid().describe("The plan to change."),
  }),
  body: z
    .strictObject({
      name: limits.name.optional(),
      quotaBytes: limits.quotaBytes.optional(),
      maxFiles: limits.maxFiles.optional(),
      maxFileBytes: limits.maxFileBytes.optional(),
    })
    .refine((body) => Object.keys(body).length > 0, "name at least one of name, quotaBytes, maxFiles, maxFileBytes"),
});
export type UpdatePlanReq = z.infer<typeof UpdatePlanSchema>;
