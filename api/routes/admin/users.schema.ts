import { z } from "zod";

export const ListUsersSchema = z.object({
  query: z.object({
    /** Users per page, 1–100 (default 50). */
    limit: z.coerce.number().int().min(1).max(100).default(50),
    /** The nextCursor of the previous page; absent for the first page. */
    cursor: z.uuid().optional(),
  }),
});
export type ListUsersReq = z.infer<typeof ListUsersSchema>;

export const UpdateUserSchema = z.object({
  params: z.object({
    /** The user to change. */
    id: z.uuid(),
  }),
  body: z
    .strictObject({
      /** New quota in bytes; may be below what the user already stores (they then cannot upload). */
      quotaBytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
      /** true disables the account (logins refused, tokens stop working); false enables it again. */
      disabled: z.boolean().optional(),
      /** The account's role. */
      role: z.enum(["user", "admin"]).optional(),
    })
    .refine((body) => Object.keys(body).length > 0, "name at least one of quotaBytes, disabled, role"),
});
export type UpdateUserReq = z.infer<typeof UpdateUserSchema>;
