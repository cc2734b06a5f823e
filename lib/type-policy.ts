/**
 * Which media types may be uploaded (UPLOAD_ALLOWED_TYPES / UPLOAD_BLOCKED_TYPES, docs/files.md).
 * Patterns are media types in which `*` stands for any run of characters: `image/*`,
 * `application/vnd.ms-*`, `*`. An empty allow list allows every type; the block list wins over it.
 */
export interface TypePolicy {
  allowed: readonly string[];
  blocked: readonly string[];
}

/** A type pattern as the config accepts it: `type/subtype` with `*` wildcards, or `*` alone. */
export const TYPE_PATTERN = /^(\*|[a-z0-9*][a-z0-9!#$&^_.+*-]*\/[a-z0-9*][a-z0-9!#$&^_.+*-]*)$/;

/** Parses a comma-separated list of type patterns (case-insensitive, blanks ignored). */
export function parseTypePatterns(list: string): string[] {
  return list
    .split(",")
    .map((pattern) => pattern.trim().toLowerCase())
    .filter(Boolean);
}

/** Whether `type` (a media type without parameters) matches `pattern`. */
export function typeMatches(pattern: string, type: string): boolean {
  const escaped = pattern.split("*").map((part) => part.replace(/[.+^$|()[\]{}?\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join(".*")}$`).test(type.toLowerCase());
}

/** Whether the policy lets a file of `type` in: not blocked, and allowed (an empty allow list allows all). */
export function typeAllowed(policy: TypePolicy, type: string): boolean {
  if (policy.blocked.some((pattern) => typeMatches(pattern, type))) return false;
  return policy.allowed.length === 0 || policy.allowed.some((pattern) => typeMatches(pattern, type));
}
