import { call, randomIp, uniqueEmail, useAccountsTestEnv, type Reply } from "../../../test/accounts";
import { closeDeps, createTestDeps, startTestServer, type TestServer } from "../../../test/deps";
import type { AppDeps } from "../../deps";

/** The SPEC §6 error body: exactly error {code, message, details?} and requestId. */
function expectErrorBody(body: Record<string, unknown>, code?: string): void {
  expect(Object.keys(body).sort()).toEqual(["error", "requestId"]);
  expect(body.requestId).toEqual(expect.any(String));
  const error = body.error as Record<string, unknown>;
  expect(
    Object.keys(error)
      .filter((key) => key !== "details")
      .sort(),
  ).toEqual(["code", "message"]);
  expect(error.code).toEqual(code ?? expect.stringMatching(/^[a-z_]+$/));
  expect(error.message).toEqual(expect.any(String));
}

/** A valid body for each route, which the cases below spoil one field at a time. */
const routes: Record<string, Record<string, unknown>> = {
  "/auth/register": { email: "someone@example.com", password: "a long enough password", name: "Someone" },
  "/auth/verify": { token: "A".repeat(43) },
  "/auth/resend-verification": { email: "someone@example.com" },
  "/auth/login": { email: "someone@example.com", password: "a long enough password" },
  "/auth/refresh": { refreshToken: "A".repeat(43) },
  "/auth/logout": { refreshToken: "A".repeat(43) },
};

const wrongTypes: unknown[] = [42, true, null, ["x"], { nested: "x" }];
const badStrings: Record<string, string> = {
  nul: "ab\u0000cdefghijkl",
  "lone high surrogate": "ab\ud800cdefghijkl",
  "lone low surrogate": "ab\udc00cdefghijkl",
  "just under 1 MB": "x".repeat(1024 * 1024 - 200),
};

describe("bad input on every /auth route answers 4xx with the error body, never 5xx", () => {
  let deps: AppDeps;
  let server: TestServer;
  beforeAll(async () => {
    useAccountsTestEnv();
    deps = await createTestDeps();
    server = await startTestServer(deps);
  });
  afterAll(async () => {
    await server.close();
    await closeDeps(deps);
  });

  const post = (path: string, options: Parameters<typeof call>[3]) =>
    call(server.url, "POST", path, { ip: randomIp(), ...options });
  const expect400 = (reply: Reply, label: string) => {
    expect([label, reply.status]).toEqual([label, 400]);
    expectErrorBody(reply.body);
  };

  it.each(Object.keys(routes))(
    "%s: malformed JSON, non-object JSON, prototype pollution, a text body (415)",
    async (path) => {
      for (const raw of [
        '{"email":',
        "{'a':1}",
        '"just a string"',
        "42",
        "null",
        "[]",
        '{"__proto__":{"x":1}}',
        "\u0000",
      ]) {
        expect400(await post(path, { raw }), raw);
      }
      expect400(await post(path, { raw: JSON.stringify(routes[path]).replaceAll("{", "[") }), "brackets");
      const asText = await post(path, { raw: JSON.stringify(routes[path]), headers: { "Content-Type": "text/plain" } });
      expect(asText.status).toBe(415);
      expectErrorBody(asText.body, "unsupported_media_type");
    },
  );

  it.each(Object.keys(routes))("%s: wrong types, missing fields, bad strings", async (path) => {
    const valid = routes[path];
    for (const field of Object.keys(valid)) {
      for (const value of wrongTypes)
        expect400(await post(path, { body: { ...valid, [field]: value } }), `${field}=${JSON.stringify(value)}`);
      for (const [label, value] of Object.entries(badStrings))
        expect400(await post(path, { body: { ...valid, [field]: value } }), `${field}: ${label}`);
      if (path !== "/auth/refresh" && path !== "/auth/logout" && field !== "name") {
        const rest = { ...valid };
        delete rest[field];
        expect400(await post(path, { body: rest }), `missing ${field}`);
      }
    }
    const over = await post(path, { body: { ...valid, [Object.keys(valid)[0]]: "x".repeat(1024 * 1024 + 10) } });
    expect(over.status).toBe(413);
    expectErrorBody(over.body, "payload_too_large");
  });

  it("rejects malformed e-mail addresses, including emoji and NUL", async () => {
    for (const email of [
      "",
      "   ",
      "plain",
      "a@b",
      "😀@example.com",
      "a\u0000@example.com",
      "a@exa mple.com",
      `${"a".repeat(250)}@example.com`,
    ]) {
      expect400(await post("/auth/register", { body: { ...routes["/auth/register"], email } }), email.slice(0, 40));
      expect400(await post("/auth/login", { body: { ...routes["/auth/login"], email } }), email.slice(0, 40));
    }
  });

  it("rejects short passwords, empty or control-character names, and non-base64url tokens", async () => {
    expect400(
      await post("/auth/register", { body: { ...routes["/auth/register"], password: "123456789" } }),
      "9 chars",
    );
    for (const name of ["", "   ", "tab\there", "bell\u0007", "\u0085"]) {
      expect400(await post("/auth/register", { body: { ...routes["/auth/register"], name } }), JSON.stringify(name));
    }
    for (const token of ["", "has space", "slash/", "plus+", "é"]) {
      expect400(await post("/auth/verify", { body: { token } }), JSON.stringify(token));
      expect400(await post("/auth/refresh", { body: { refreshToken: token } }), JSON.stringify(token));
    }
  });

  it("accepts emoji and non-ASCII in passwords and names, and stores names in NFC", async () => {
    const email = uniqueEmail();
    const reply = await post("/auth/register", {
      body: { email, password: "🔑🔑🔑 pässwörd 🔒", name: "  Jose\u0301 🎉  " },
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ user: { email, name: "Jos\u00e9 🎉" } });
  });
});
