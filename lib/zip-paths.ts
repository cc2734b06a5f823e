/**
 * Entry names inside a folder share's ZIP. Stored names already refuse `/`, NUL, control
 * characters, `.` and `..` (lib/names), so a path joined from them is relative and stays inside the
 * archive; this is the second lock on that door, for whatever got into the database another way.
 */

/** A safe relative entry path from its segments, or null when a segment could escape or confuse an unzipper. */
export function safeZipPath(segments: readonly string[]): string | null {
  if (segments.length === 0) return null;
  for (const segment of segments) {
    if (segment === "" || segment === "." || segment === "..") return null;
    // Separators of any platform, drive letters and control characters have no place in a segment.
    if (/[/\\]/.test(segment) || /^[a-zA-Z]:/.test(segment) || hasControlCharacter(segment)) return null;
  }
  return segments.join("/");
}

function hasControlCharacter(value: string): boolean {
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
