// The headers api/middleware/security-headers.ts promises on every response, as one check the
// header tests and the authorization matrix share.

/**
 * The security headers `headers` lacks or gets wrong ([] when all are right); `label` names the
 * response. `sameOrigin`: an operation whose answers our own pages may frame (framedBySameOrigin).
 */
export function missingSecurityHeaders(
  headers: Headers,
  label: string,
  options: { https?: boolean; sameOrigin?: boolean } = {},
): string[] {
  const wrong: string[] = [];
  const want = (name: string, ok: (value: string | null) => boolean) => {
    const value = headers.get(name);
    if (!ok(value)) wrong.push(`${label}: ${name} is ${JSON.stringify(value)}`);
  };
  want("x-content-type-options", (value) => value === "nosniff");
  const [frameOptions, ancestors] = options.sameOrigin ? ["SAMEORIGIN", "'self'"] : ["DENY", "'none'"];
  want("x-frame-options", (value) => value === frameOptions);
  want("content-security-policy", (value) => (value ?? "").split(/;\s*/).includes(`frame-ancestors ${ancestors}`));
  want("referrer-policy", (value) => value === "no-referrer");
  if (options.https) want("strict-transport-security", (value) => /^max-age=\d{7,}/.test(value ?? ""));
  else want("strict-transport-security", (value) => value === null);
  return wrong;
}
