import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { startSession } from "../../../db/commands/accounts/refresh-tokens";
import type { FileStatus } from "../../../db/models";
import { call, useAccountsTestEnv } from "../../../test/accounts";
import { closeDeps, createTestDeps, startTestServer, type TestServer } from "../../../test/deps";
import { createUser } from "../../../test/factories";
import { signAccessToken } from "../../../lib/access-token";
import type { AppDeps } from "../../deps";
import { fileKey } from "../../../lib/object-keys";

const previousSecret = `previous-${"p".repeat(32)}`;

describe("GET /me and access tokens", () => {
  let deps: AppDeps;
  let server: TestServer;
  beforeAll(async () => {
    useAccountsTestEnv({ JWT_SECRET_PREVIOUS: previousSecret });
    deps = await createTestDeps();
    server = await startTestServer(deps);
  });
  afterAll(async () => {
    await server.close();
    await closeDeps(deps);
  });

  const me = (token: string) => call(server.url, "GET", "/me", { token });

  it("sums the quota and counts files that hold bytes, trashed ones included", async () => {
    const { user, token } = await createUser(deps, { quotaBytes: 1000, usedBytes: 300, reservedBytes: 200 });
    const statuses: [FileStatus, boolean][] = [
      ["uploading", false],
      ["processing", false],
      ["ready", false],
      ["ready", true],
      ["quarantined", true],
      ["failed", false],
      ["rejected", false],
    ];
    for (const [status, trashed] of statuses) {
      const id = randomUUID();
      await deps.db("files").insert({
        id,
        ownerId: user.id,
        name: `${status}-${id}`,
        sizeBytes: 10,
        s3Key: fileKey({ ownerId: user.id, id }),
        status,
        trashedAt: trashed ? new Date() : null,
      });
    }
    const reply = await me(token);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      user: expect.objectContaining({ id: user.id, email: user.email, role: "user" }),
      quota: {
        usedBytes: 300,
        reservedBytes: 200,
        quotaBytes: 1000,
        availableBytes: 500,
        filesCount: 4,
        maxFiles: null,
        maxFileBytes: deps.config.PUBLIC_MAX_BYTES,
        plan: null,
      },
    });
  });

  it("never reports negative available bytes", async () => {
    const { token } = await createUser(deps, { quotaBytes: 100, usedBytes: 150 });
    expect((await me(token)).body).toMatchObject({ quota: { availableBytes: 0 } });
  });

  it("answers 401 without a token, and to a tampered, expired or foreign-secret token", async () => {
    const { user, token } = await createUser(deps);
    expect((await call(server.url, "GET", "/me")).status).toBe(401);

    const [header, payload, signature] = token.split(".");
    const flipped = signature[0] === "A" ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), role: "admin" }),
    ).toString("base64url");
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ role: "user" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(user.id)
      .setIssuer("coffer")
      .setIssuedAt(now - 120)
      .setExpirationTime(now - 60)
      .sign(new TextEncoder().encode(deps.config.JWT_SECRET));
    const foreign = await signAccessToken(
      { userId: user.id, role: "user", sessionId: randomUUID() },
      "some-other-secret-of-at-least-32-chars",
      600,
    );
    const unsigned = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${payload}.`;

    for (const bad of [
      `${header}.${payload}.${flipped}`,
      `${header}.${forged}.${signature}`,
      expired,
      foreign,
      unsigned,
      "garbage",
    ]) {
      const reply = await me(bad);
      expect(reply.status).toBe(401);
      expect(reply.body).toMatchObject({ error: { code: expect.stringMatching(/^(invalid_token|unauthorized)$/) } });
    }
  });

  it("accepts a token signed with JWT_SECRET_PREVIOUS (secret rotation)", async () => {
    const { user } = await createUser(deps);
    const { sessionId } = await startSession({ db: deps.db, userId: user.id, ttlSeconds: 600 });
    const old = await signAccessToken({ userId: user.id, role: "user", sessionId }, previousSecret, 600);
    const reply = await me(old);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ user: { id: user.id } });
  });

  it("answers 401 to a valid token of a user that no longer exists", async () => {
    const { user, token } = await createUser(deps);
    await deps.db("users").where({ id: user.id }).delete();
    expect((await me(token)).status).toBe(401);
  });
});
