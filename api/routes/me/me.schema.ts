import { z } from "zod";
import { displayName, newPassword, passwordText } from "../auth/auth.schema";

/** The password a user types to prove it is them: any length it could have been set with. */
const currentPassword = passwordText.pipe(z.string().min(1));

export const UpdateMeSchema = z.object({
  body: z.strictObject({
    /** How the user wants to be called; null clears it. */
    name: displayName.nullable(),
  }),
});
export type UpdateMeReq = z.infer<typeof UpdateMeSchema>;

export const ChangePasswordSchema = z.object({
  body: z.object({
    /** The password the account has now. */
    currentPassword,
    /** The new one, at least 10 characters. */
    newPassword,
  }),
});
export type ChangePasswordReq = z.infer<typeof ChangePasswordSchema>;

export const SessionParamsSchema = z.object({
  params: z.object({
    /** A session id from GET /me/sessions. */
    id: z.uuid(),
  }),
});
export type SessionParamsReq = z.infer<typeof SessionParamsSchema>;

export const DeleteMeSchema = z.object({
  body: z.object({
    /** The account's password, once more. */
    password: currentPassword,
  }),
});
export type DeleteMeReq = z.infer<typeof DeleteMeSchema>;
