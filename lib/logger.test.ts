import { createLogger } from "./logger";

/** What one log call writes, parsed. */
function logged(fields: Record<string, unknown>): Record<string, unknown> {
  const lines: string[] = [];
  createLogger({ level: "debug", name: "test" }, { write: (line: string) => lines.push(line) }).debug(fields, "x");
  return JSON.parse(lines[0]) as Record<string, unknown>;
}

describe("the logger's redaction", () => {
  it("hides passwords, tokens, secrets and credentials at the top level and one level down", () => {
    const secrets = {
      password: "p1",
      currentPassword: "p2",
      newPassword: "p3",
      token: "t1",
      accessToken: "t2",
      refreshToken: "t3",
      secret: "whsec_1",
      authorization: "Bearer x",
    };
    const line = JSON.stringify([logged(secrets), logged({ body: secrets })]);
    for (const value of Object.values(secrets)) expect(line).not.toContain(value);
    expect(logged({ body: secrets }).body).toMatchObject({ password: "[redacted]", secret: "[redacted]" });
  });

  it("hides the cookie, authorization and share password headers of a request", () => {
    const req = { headers: { cookie: "coffer_refresh=abc", authorization: "Bearer eyJ", "x-share-password": "pw" } };
    expect(logged({ req }).req).toEqual({
      headers: { cookie: "[redacted]", authorization: "[redacted]", "x-share-password": "[redacted]" },
    });
  });
});
