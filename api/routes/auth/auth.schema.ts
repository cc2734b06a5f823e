import { z } from "zod";
import { formatCharacters, formatCharactersMessage } from "../../../lib/names";

// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001f\u007f-\u009f]/;

/** An e-mail address as people type it: surrounding spaces dropped, ASCII, at most 254 characters. */
const email = z.string().trim().max(254).pipe(z.email());

/** Any password text a person can type: no NUL, no lone surrogates, bounded so hashing stays cheap. */
export const passwordText = z
  .string()
  .max(1024)
  .refine((text) => !text.includes("\u0000"), "must not contain NUL")
  .refine((text) => text.isWellFormed(), "must be valid Unicode");

/** A new password: what registration accepts (10–1024 characters). */
export const newPassword = passwordText.pipe(z.string().min(10));

/** A display name: trimmed, NFC, 1–100 characters, no control characters, bidi controls or invisible format characters. */
export const displayName = z
  .string()
  .trim()
  .transform((text) => text.normalize("NFC"))
  .pipe(
    z
      .string()
      .min(1)
      .max(100)
      .refine((text) => !controlCharacters.test(text), "must not contain control characters")
      .refine((text) => !formatCharacters.test(text), formatCharactersMessage)
      .refine((text) => text.isWellFormed(), "must be valid Unicode"),
  );

/** A token from a mail link or a refresh cookie: base64url text of bounded length. */
export const opaqueToken = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[A-Za-z0-9_-]+$/, "must be a base64url token");

export const RegisterSchema = z.object({
  body: z.object({
    /** The address the verification mail goes to; unique regardless of case. */
    email,
    /** At least 10 characters. */
    password: newPassword,
    /** How the user wants to be called; optional. */
    name: displayName.optional(),
  }),
});
export type RegisterReq = z.infer<typeof RegisterSchema>;

export const VerifySchema = z.object({
  body: z.object({
    /** The token of the verification link (`/verify?token=…`). */
    token: opaqueToken,
  }),
});
export type VerifyReq = z.infer<typeof VerifySchema>;

export const ResendVerificationSchema = z.object({
  body: z.object({
    /** The address to send a new verification link to, if it has an unverified account. */
    email,
  }),
});
export type ResendVerificationReq = z.infer<typeof ResendVerificationSchema>;

export const LoginSchema = z.object({
  body: z.object({
    /** The account's address, any case. */
    email,
    /** The account's password. */
    password: passwordText.pipe(z.string().min(1)),
  }),
});
export type LoginReq = z.infer<typeof LoginSchema>;

export const RefreshSchema = z.object({
  body: z.object({
    /** For clients without cookies: the refresh token; browsers send the httpOnly cookie instead. */
    refreshToken: opaqueToken.optional(),
  }),
});
export type RefreshReq = z.infer<typeof RefreshSchema>;

export const ForgotPasswordSchema = z.object({
  body: z.object({
    /** The account's address; the answer is the same whether it has an account or not. */
    email,
  }),
});
export type ForgotPasswordReq = z.infer<typeof ForgotPasswordSchema>;

export const ResetPasswordSchema = z.object({
  body: z.object({
    /** The token of the mailed link (`/reset?token=…`). */
    token: opaqueToken,
    /** The new password, at least 10 characters. */
    password: newPassword,
  }),
});
export type ResetPasswordReq = z.infer<typeof ResetPasswordSchema>;
