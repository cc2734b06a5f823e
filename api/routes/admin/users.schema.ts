import { z } from "zod";

export const ListUsersSchema = z.object({
  query: z.object({
    limit: z.coerce.number().int().min(1).max(100).default(50).describe("Users per page, 1–100 (default 50)."),
    cursor: z.uuid().optional().describe("The nextCursor of the previous page; absent for the first page."),
  }),
});
export type ListUsersReq = z.infer<typeof ListUsersSchema>;

export const UpdateUserSchema = z.object({
  params: z.object({
    id: z.uuid().describe("The user to change."),
  }),
  body: z
    .strictObject({
      quotaBytes: z
        .number()
        .int()
        .min(0)
        .max(Number.MAX_SAFE_INTEGER)
        .optional()
        .describe("New quota in bytes; may be below what the user already stores (they then cannot upload)."),
      disabled: z
        .boolean()
        .optional()
        .describe("true disables the account (logins refused, tokens stop working); false enables it again."),
      role: z.enum(["user", "admin"]).optional().describe("The account's role."),
      planId: z
        .uuid()
        .nullable()
        .optional()
        .describe("Puts the user on this plan (its quota replaces theirs unless quotaBytes is given); null: no plan."),
    })
    .refine((body) => Object.keys(body).length > 0, "name at least one of quotaBytes, disabled, role, planId"),
});
export type UpdateUserReq = z.infer<typeof UpdateUserSchema>;
