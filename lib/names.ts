import { z } from "zod";

/**
 * Bidi controls (U+202A–202E, U+2066–2069, U+200E/F, U+061C) and the other invisible format
 * characters (\p{Cf}: zero-width spaces and joiners, U+FEFF, soft hyphen, …): in a name they make it
 * read as another one ("invoice\u202Efdp.exe" shows as "invoiceexe.pdf").
 */
export const formatCharacters = /[\p{Cf}\p{Bidi_Control}]/u;
export const formatCharactersMessage = "must not contain bidi controls or invisible format characters";

/**
 * A file or folder name: NFC-normalised, 1–255 bytes of UTF-8, no "/", no NUL or other control
 * characters, no bidi controls or invisible format characters, not "." or "..".
 */
export const itemName = z
  .string()
  .transform((name) => name.normalize("NFC"))
  .refine((name) => name.length > 0, "must not be empty")
  .refine((name) => Buffer.byteLength(name, "utf8") <= 255, "must be at most 255 bytes")
  .refine((name) => !name.includes("/"), "must not contain /")
  // eslint-disable-next-line no-control-regex
  .refine((name) => !/[\u0000-\u001f\u007f-\u009f]/.test(name), "must not contain control characters")
  .refine((name) => !formatCharacters.test(name), formatCharactersMessage)
  .refine((name) => name !== "." && name !== "..", "must not be . or ..")
  .refine((name) => name.isWellFormed(), "must be valid Unicode");

/** "report.pdf" → "report (1).pdf", "notes" → "notes (1)": the n-th alternative for a name clash. */
export function alternativeName(name: string, n: number): string {
  const dot = name.lastIndexOf(".");
  const hasExtension = dot > 0 && dot < name.length - 1;
  const stem = hasExtension ? name.slice(0, dot) : name;
  const extension = hasExtension ? name.slice(dot) : "";
  return `${stem} (${n})${extension}`;
}
