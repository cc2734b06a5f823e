import { buildDeps, closeDeps } from "../build-deps";
import { getConfig, resetConfig } from "../../lib/config";
import { createLogger } from "../../lib/logger";
import { call, login, randomIp, uniqueEmail, useAccountsTestEnv, verificationTokenFor } from "../../test/accounts";
import { startTestServer } from "../../test/deps";
import { startFilesTestbed } from "../../test/files-testbed";
import { api, randomBytesOf, uploadFile, waitForStatus } from "../../test/uploads";

describe("request logs", () => {
  it("carry one line per request with its id, user, route, status and latency, and never a secret", async () => {
    useAccountsTestEnv({ RATE_LIMIT_PUBLIC_PER_MINUTE: "1000" });
    // A worker makes the uploaded file ready; the API under test logs into `lines`.
    const bed = await startFilesTestbed({ LOG_LEVEL: "debug" });
    resetConfig();
    const lines: string[] = [];
    const deps = buildDeps(
      getConfig(),
      createLogger({ level: "debug", name: "api" }, { write: (line: string) => void lines.push(line) }),
    );
    const server = await startTestServer(deps);
    try {
      const email = uniqueEmail();
      const password = "a password nobody may log 12345";
      const ip = randomIp();
      expect((await call(server.url, "POST", "/auth/register", { body: { email, password }, ip })).status).toBe(201);
      const verification = await verificationTokenFor(email);
      expect((await call(server.url, "POST", "/auth/verify", { body: { token: verification }, ip })).status).toBe(200);
      await call(server.url, "POST", "/auth/login", { body: { email, password: "wrong password, also secret" }, ip });
      const session = await login(server.url, email, password, ip);
      const refreshed = await call<{ accessToken: string }>(server.url, "POST", "/auth/refresh", {
        headers: { Cookie: `refresh_token=${session.refreshToken}` },
        body: {},
        ip,
      });
      const me = await call<{ user: { id: string } }>(server.url, "GET", "/me", { token: session.accessToken, ip });
      expect(me.status).toBe(200);

      const owner = { user: { id: me.body.user.id } as never, token: session.accessToken, headers: {} };
      const { fileId } = await uploadFile(server.url, owner, "shared.txt", randomBytesOf(100));
      await waitForStatus(server.url, owner, fileId, ["ready"]);
      const sharePassword = "share secret 98765";
      const share = await call<{ url: string }>(server.url, "POST", "/shares", {
        token: session.accessToken,
        // Limited, so the download streams through the API (a link with no limit answers 303).
        body: { fileId, password: sharePassword, maxDownloads: 10 },
      });
      expect(share.status).toBe(201);
      const shareToken = share.body.url.split("/s/")[1];
      const download = await api(server.url, "POST", `/s/${shareToken}/download`, {
        headers: { "X-Share-Password": sharePassword, "X-Forwarded-For": ip },
      });
      expect(download.status).toBe(200);
      await call(server.url, "POST", "/auth/logout", {
        headers: { Cookie: `refresh_token=${session.refreshToken}` },
        ip,
      });

      const log = lines.join("");
      for (const secret of [
        password,
        "wrong password, also secret",
        verification,
        session.accessToken,
        session.refreshToken,
        refreshed.body.accessToken,
        sharePassword,
        shareToken,
      ]) {
        expect(log.includes(secret)).toBe(false);
      }
      const requests = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === "request");
      const meLine = requests.find((entry) => entry.route === "/api/me");
      expect(meLine).toMatchObject({
        requestId: expect.any(String),
        userId: me.body.user.id,
        method: "GET",
        status: 200,
        latencyMs: expect.any(Number),
      });
      expect(requests.find((entry) => entry.route === "/api/s/:token/download")).toMatchObject({ status: 200 });
    } finally {
      await server.close();
      await closeDeps(deps);
      await bed.close();
    }
  });
});
