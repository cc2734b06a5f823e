import { fileTypeFromBuffer } from "file-type/core";

/** Bytes from the start of a file that type detection looks at: enough for every signature file-type knows. */
export const DETECTION_SAMPLE_BYTES = 64 * 1024;

/** Declared types that name text; plain text has no magic number, so for text bytes these are kept. */
const TEXT_TYPE =
  /^(text\/.+|application\/(json|xml|javascript|ecmascript|x-ndjson|yaml|x-yaml|toml|csv|sql)|.+\+(json|xml))$/;

/** Whether the sample reads as UTF-8 text: no NUL byte and no invalid sequence (a cut one at the end is fine). */
function looksLikeText(sample: Uint8Array): boolean {
  if (sample.includes(0)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(sample, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * The media type the first bytes of a file show (`sample`: its first DETECTION_SAMPLE_BYTES or the
 * whole file). A known signature (file-type's magic numbers) decides; bytes with none that read as
 * text are `text/plain`, or the declared type when that names a text format (JSON, CSV, SVG … are
 * text with no signature); anything else is application/octet-stream. An empty file keeps its
 * declared type: there are no bytes to contradict it.
 */
export async function detectMimeType(sample: Uint8Array, declared: string): Promise<string> {
  if (sample.length === 0) return declared;
  const found = await fileTypeFromBuffer(sample);
  if (found) return found.mime;
  if (looksLikeText(sample)) return TEXT_TYPE.test(declared) ? declared : "text/plain";
  return "application/octet-stream";
}
