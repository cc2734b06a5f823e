import { randomUUID } from "node:crypto";
import { AuditEntry } from "../../../db/models";
import { call, login, randomIp, useAccountsTestEnv, type Session } from "../../../test/accounts";
import { closeDeps, createTestDeps, startTestServer, type TestServer } from "../../../test/deps";
import { createUser, testPassword } from "../../../test/factories";
import { findMailAbout } from "../../../test/mailpit";
import type { AppDeps } from "../../deps";

type SessionsBody = {
  sessions: { id: string; createdAt: string; lastUsedAt: string; ip: string; userAgent: string; current: boolean }[];
};

describe("password change, sessions and profile", () => {
  let deps: AppDeps;
  let server: TestServer;
  beforeAll(async () => {
    useAccountsTestEnv({ TEMPORAL_TASK_QUEUE: `test-account-${randomUUID()}` });
    deps = await createTestDeps();
    server = await startTestServer(deps);
  });
  afterAll(async () => {
    await server.close();
    await closeDeps(deps);
  });

  const me = (token: string) => call(server.url, "GET", "/me", { token });
  const changePassword = (token: string, currentPassword: string, newPassword: string) =>
    call(server.url, "POST", "/me/password", { token, body: { currentPassword, newPassword }, ip: randomIp() });
  const sessionsOf = (token: string) => call<SessionsBody>(server.url, "GET", "/me/sessions", { token });

  async function loginAs(email: string, password: string, ip: string, userAgent: string): Promise<Session> {
    const reply = await call<Session>(server.url, "POST", "/auth/login", {
      body: { email, password },
      ip,
      headers: { "User-Agent": userAgent },
    });
    expect(reply.status).toBe(200);
    const cookie = reply.headers.getSetCookie().find((line) => line.startsWith("coffer_refresh="))!;
    return { ...reply.body, refreshToken: cookie.split(";")[0].slice("coffer_refresh=".length) };
  }

  describe("POST /me/password", () => {
    it("refuses a wrong current password with 403 wrong_password and changes nothing", async () => {
      const { user, token } = await createUser(deps);
      const reply = await changePassword(token, "not the password", "a new password 12345");
      expect(reply.status).toBe(403);
      expect(reply.body).toMatchObject({ error: { code: "wrong_password" } });
      await login(server.url, user.email, testPassword);
      expect((await me(token)).status).toBe(200);
    });

    it("changes it: this session goes on, every other one ends, the owner gets a notice, it is audited", async () => {
      const { user } = await createUser(deps);
      const here = await login(server.url, user.email, testPassword);
      const there = await login(server.url, user.email, testPassword);
      const reply = await changePassword(here.accessToken, testPassword, "a new password 12345");
      expect(reply.status).toBe(204);
      expect((await me(here.accessToken)).status).toBe(200);
      expect((await me(there.accessToken)).status).toBe(401);
      const refreshHere = await call(server.url, "POST", "/auth/refresh", {
        body: { refreshToken: here.refreshToken },
      });
      expect(refreshHere.status).toBe(200);
      const refreshThere = await call(server.url, "POST", "/auth/refresh", {
        body: { refreshToken: there.refreshToken },
      });
      expect(refreshThere.status).toBe(401);
      await login(server.url, user.email, "a new password 12345");
      const old = await call(server.url, "POST", "/auth/login", {
        body: { email: user.email, password: testPassword },
        ip: randomIp(),
      });
      expect(old.status).toBe(401);
      expect((await findMailAbout(user.email, "Your Coffer password was changed")).text).toMatch(
        /other sessions were signed out/,
      );
      const audit = await AuditEntry.query(deps.db).where({ targetId: user.id, action: "user.password_changed" });
      expect(audit).toHaveLength(1);
      expect(audit[0].details).toMatchObject({ sessionsEnded: 2 }); // the factory's session and `there`
    });

    it("lets one of two parallel changes win; the other's current password no longer is", async () => {
      const { user } = await createUser(deps);
      const a = await login(server.url, user.email, testPassword);
      const b = await login(server.url, user.email, testPassword);
      const replies = await Promise.all([
        changePassword(a.accessToken, testPassword, "password of a 12345"),
        changePassword(b.accessToken, testPassword, "password of b 12345"),
      ]);
      const statuses = replies.map((reply) => reply.status).sort();
      // Either one won and the other found the password changed (403), or the loser's session had
      // already been ended by the winner (401).
      expect(statuses[0]).toBe(204);
      expect([401, 403]).toContain(statuses[1]);
      const winner = replies[0].status === 204 ? "a" : "b";
      await login(server.url, user.email, `password of ${winner} 12345`);
    });

    it("answers bad input with 400: a short new password, missing fields", async () => {
      const { token } = await createUser(deps);
      for (const body of [
        {},
        { currentPassword: testPassword },
        { currentPassword: testPassword, newPassword: "short" },
      ]) {
        const reply = await call(server.url, "POST", "/me/password", { token, body });
        expect(reply.status).toBe(400);
        expect(reply.body).toMatchObject({ error: { code: "validation_failed" } });
      }
      expect((await call(server.url, "POST", "/me/password", { body: {} })).status).toBe(401);
    });
  });

  describe("sessions", () => {
    it("lists each login with its ip, user agent, dates and which one is current", async () => {
      const { user } = await createUser(deps);
      const phone = await loginAs(user.email, testPassword, "10.9.8.7", "Phone/1.0");
      const laptop = await loginAs(user.email, testPassword, "10.1.2.3", "Laptop/2.0");
      const reply = await sessionsOf(laptop.accessToken);
      expect(reply.status).toBe(200);
      const mine = reply.body.sessions.filter((session) => session.ip !== null);
      expect(mine).toHaveLength(2);
      expect(mine.find((session) => session.userAgent === "Laptop/2.0")).toMatchObject({
        ip: "10.1.2.3",
        current: true,
      });
      expect(mine.find((session) => session.userAgent === "Phone/1.0")).toMatchObject({
        ip: "10.9.8.7",
        current: false,
      });
      // The factory's session (no client) is listed too.
      expect(reply.body.sessions).toHaveLength(3);

      // A refresh keeps the session's origin and moves its last use.
      const before = mine.find((session) => session.userAgent === "Phone/1.0")!;
      await new Promise((resolve) => setTimeout(resolve, 20));
      const refreshed = await call(server.url, "POST", "/auth/refresh", {
        body: { refreshToken: phone.refreshToken },
        ip: "10.99.99.99",
      });
      expect(refreshed.status).toBe(200);
      const after = (await sessionsOf(laptop.accessToken)).body.sessions.find((s) => s.id === before.id)!;
      expect(after).toMatchObject({ ip: "10.9.8.7", userAgent: "Phone/1.0", createdAt: before.createdAt });
      expect(new Date(after.lastUsedAt).getTime()).toBeGreaterThan(new Date(before.lastUsedAt).getTime());
    });

    it("ends one session: its access and refresh tokens stop at once; another user's session is 404", async () => {
      const { user } = await createUser(deps);
      const here = await login(server.url, user.email, testPassword);
      const there = await login(server.url, user.email, testPassword);
      const other = await createUser(deps);
      const thereId = (await sessionsOf(there.accessToken)).body.sessions.find((s) => s.current)!.id;
      const otherId = (await sessionsOf(other.token)).body.sessions[0].id;

      expect((await call(server.url, "DELETE", `/me/sessions/${otherId}`, { token: here.accessToken })).status).toBe(
        404,
      );
      expect((await me(other.token)).status).toBe(200);

      const ended = await call(server.url, "DELETE", `/me/sessions/${thereId}`, { token: here.accessToken });
      expect(ended.status).toBe(204);
      expect((await me(there.accessToken)).status).toBe(401);
      expect((await me(here.accessToken)).status).toBe(200);
      expect(
        (await call(server.url, "POST", "/auth/refresh", { body: { refreshToken: there.refreshToken } })).status,
      ).toBe(401);
      expect((await sessionsOf(here.accessToken)).body.sessions.map((s) => s.id)).not.toContain(thereId);
      expect((await call(server.url, "DELETE", `/me/sessions/${thereId}`, { token: here.accessToken })).status).toBe(
        404,
      );
      expect((await call(server.url, "DELETE", "/me/sessions/not-a-uuid", { token: here.accessToken })).status).toBe(
        400,
      );
    });

    it("ends every other session, in parallel requests too, and keeps this one", async () => {
      const { user } = await createUser(deps);
      const here = await login(server.url, user.email, testPassword);
      const others = await Promise.all([1, 2, 3].map(() => login(server.url, user.email, testPassword)));
      const replies = await Promise.all(
        [1, 2].map(() =>
          call<{ ended: number }>(server.url, "POST", "/me/sessions/end-others", { token: here.accessToken }),
        ),
      );
      expect(replies.map((reply) => reply.status)).toEqual([200, 200]);
      // Three logins plus the factory's session; two parallel requests share them out exactly.
      expect(replies[0].body.ended + replies[1].body.ended).toBe(4);
      for (const other of others) expect((await me(other.accessToken)).status).toBe(401);
      expect((await sessionsOf(here.accessToken)).body.sessions).toEqual([expect.objectContaining({ current: true })]);
    });
  });

  describe("an account being deleted", () => {
    it("stays locked even if an admin enables it again: no login, no refresh, no access token", async () => {
      const { user } = await createUser(deps);
      const session = await login(server.url, user.email, testPassword);
      // Marked for deletion, then (by mistake) enabled again; its tokens were not even revoked here.
      await deps.db("users").where({ id: user.id }).update({ deletionRequestedAt: new Date(), disabledAt: null });
      expect((await me(session.accessToken)).status).toBe(401);
      const refreshed = await call(server.url, "POST", "/auth/refresh", {
        body: { refreshToken: session.refreshToken },
        ip: randomIp(),
      });
      expect(refreshed.status).toBe(401);
      const again = await call(server.url, "POST", "/auth/login", {
        body: { email: user.email, password: testPassword },
        ip: randomIp(),
      });
      expect(again.status).toBe(403);
      expect(again.body).toMatchObject({ error: { code: "account_disabled" } });
      const forgot = await call(server.url, "POST", "/auth/password/forgot", { body: { email: user.email } });
      expect(forgot.status).toBe(202);
      expect(await deps.db("password_resets").where({ userId: user.id }).first()).toBeUndefined();
    });
  });

  describe("PATCH /me", () => {
    it("changes the name (trimmed), clears it with null, refuses bad names and unknown fields", async () => {
      const { token } = await createUser(deps);
      const renamed = await call(server.url, "PATCH", "/me", { token, body: { name: "  Ada Lovelace " } });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ user: { name: "Ada Lovelace" } });
      expect((await me(token)).body).toMatchObject({ user: { name: "Ada Lovelace" } });
      expect((await call(server.url, "PATCH", "/me", { token, body: { name: null } })).body).toMatchObject({
        user: { name: null },
      });
      for (const body of [
        {},
        { name: "" },
        { name: "a\u202eb" },
        { name: "x".repeat(101) },
        { name: "ok", role: "admin" },
      ]) {
        const reply = await call(server.url, "PATCH", "/me", { token, body });
        expect(reply.status).toBe(400);
      }
      expect((await me(token)).body).toMatchObject({ user: { name: null, role: "user" } });
    });
  });
});
