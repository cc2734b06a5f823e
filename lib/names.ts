import { z } from "zod";

/**
 * A file or folder name: NFC-normalised, 1–255 bytes of UTF-8, no "/", no NUL or other control
 * characters, not "." or "..".
 */
export const itemName = z
  .string()
  .transform((name) => name.normalize("NFC"))
  .refine((name) => name.length > 0, "must not be empty")
  .refine((name) => Buffer.byteLength(name, "utf8") <= 255, "must be at most 255 bytes")
  .refine((name) => !name.includes("/"), "must not contain /")
  // eslint-disable-next-line no-control-regex
  .refine((name) => !/[\u0000-\u001f\u007f-\u009f]/.test(name), "must not contain control characters")
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
