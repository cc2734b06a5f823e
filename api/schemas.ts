import { z } from "zod";

/** Response pieces every resource uses. Timestamps leave the server as ISO 8601 strings in UTC. */
export const timestamp = z.string().meta({ format: "date-time", example: "2026-12-02T10:00:00.000Z" });
export const uuid = z.string().meta({ format: "uuid" });
/** Opaque: pass it back as `cursor` for the next page; null on the last page. */
export const nextCursor = z
  .string()
  .nullable()
  .meta({ description: "Pass back as `cursor` for the next page; null on the last page" });

/** An account as its owner sees it (User.toPublic()). */
export const UserView = z.object({
  id: uuid,
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(["user", "admin"]),
  emailVerified: z.boolean(),
  disabled: z.boolean(),
  createdAt: timestamp,
});
