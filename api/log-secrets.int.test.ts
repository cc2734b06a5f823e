import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { call, login, randomIp, registerVerified, setCookie, verificationTokenFor } from "../test/accounts";
import type { TestUser } from "../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../test/files-testbed";
import { findMailAbout } from "../test/mailpit";
import { missingSecurityHeaders } from "../test/security-headers";
import { downloadShare, readyFile, shareFile, shareTestEnv } from "../test/shares";
import { api, randomBytesOf } from "../test/uploads";
import { waitFor } from "../test/wait";
import { WebhookReceiver } from "../test/webhook-receiver";
import { spawnWorker, type WorkerProcess } from "../test/worker-process";

/**
 * No secret in any log line (issue 15): a realistic run through the API — register, verify, login,
 * refresh, forgot and reset the password, change it, upload, share with a password, the public
 * page and both kinds of public download (the 303 to a presigned URL and the counted stream), a
 * wrong share password, a webhook (its secret, a key in its URL, deliveries), logout — with the
 * API's logger and the worker process (the built one, as deployed) at debug, then every line of both
 * is searched for each secret the run handled.
 */
describe("the logs of the API and the worker at debug level carry no secret", () => {
  const lines: string[] = [];
  let bed: FilesTestbed;
  let worker: WorkerProcess | undefined;
  const receiver = new WebhookReceiver();
  beforeAll(async () => {
    await receiver.start();
    bed = await startFilesTestbed(
      shareTestEnv({ RATE_LIMIT_AUTH_PER_MINUTE: "100000", WEBHOOK_ALLOW_PRIVATE: "true" }),
      { worker: false, log: { level: "debug", destination: { write: (line: string) => lines.push(line) } } },
    );
    worker = await spawnWorker({ TEMPORAL_TASK_QUEUE: bed.taskQueue, LOG_LEVEL: "debug" });
  });
  afterAll(async () => {
    worker?.child.kill("SIGTERM");
    await worker?.exited;
    await bed?.close();
    await receiver.stop();
  });

  it("holds no password, token, JWT, share password, presigned URL or webhook secret", async () => {
    const url = bed.server.url;
    const secrets: Record<string, string> = {};
    const headerProblems: string[] = [];
    // The share page loads public downloads into a frame of its own: those answers allow our origin.
    const check = <T extends { headers: Headers; status: number }>(label: string, reply: T, sameOrigin = false): T => {
      headerProblems.push(...missingSecurityHeaders(reply.headers, `${label} (${reply.status})`, { sameOrigin }));
      return reply;
    };

    // Accounts: register and verify (mailed token), login, refresh.
    const password = `first password ${randomUUID()}`;
    const { email } = await registerVerified(url, password);
    secrets.password = password;
    secrets.verificationToken = await verificationTokenFor(email);
    const first = await login(url, email, password);
    secrets.accessToken = first.accessToken;
    secrets.refreshToken = first.refreshToken;
    const refreshed = check(
      "refresh",
      await call<{ accessToken: string }>(url, "POST", "/auth/refresh", {
        headers: { Cookie: `coffer_refresh=${first.refreshToken}` },
        ip: randomIp(),
      }),
    );
    expect(refreshed.status).toBe(200);
    secrets.refreshedAccessToken = refreshed.body.accessToken;
    secrets.rotatedRefreshToken = setCookie(refreshed, "coffer_refresh")!.value;

    // A wrong password, then forgot + reset with the mailed token.
    const wrongPassword = `wrong password ${randomUUID()}`;
    secrets.wrongPassword = wrongPassword;
    expect(
      check("bad login", await call(url, "POST", "/auth/login", { body: { email, password: wrongPassword } })).status,
    ).toBe(401);
    expect(
      check("forgot", await call(url, "POST", "/auth/password/forgot", { body: { email }, ip: randomIp() })).status,
    ).toBe(202);
    const mail = await findMailAbout(email, "Reset your Coffer password");
    secrets.resetToken = /reset\?token=([A-Za-z0-9_-]+)/.exec(mail.text)![1];
    const resetPassword = `reset password ${randomUUID()}`;
    secrets.resetPassword = resetPassword;
    const reset = await call(url, "POST", "/auth/password/reset", {
      body: { token: secrets.resetToken, password: resetPassword },
      ip: randomIp(),
    });
    expect(check("reset", reset).status).toBe(200);

    // Login again, change the password.
    const second = await login(url, email, resetPassword);
    secrets.secondAccessToken = second.accessToken;
    secrets.secondRefreshToken = second.refreshToken;
    const changedPassword = `changed password ${randomUUID()}`;
    secrets.changedPassword = changedPassword;
    const changed = await call(url, "POST", "/me/password", {
      token: second.accessToken,
      body: { currentPassword: resetPassword, newPassword: changedPassword },
    });
    expect(check("change password", changed).status).toBe(204);
    const owner = { token: second.accessToken } as TestUser;

    // A webhook before the upload, so its events are delivered: its secret is shown once; a URL with a key.
    const hookKey = `hook-key-${randomUUID()}`;
    secrets.webhookUrlKey = hookKey;
    const hook = check(
      "webhook",
      await api(url, "POST", "/webhooks", {
        user: owner,
        body: { url: `${receiver.url}?key=${hookKey}`, events: ["file.ready", "share.downloaded"] },
      }),
    );
    expect(hook.status).toBe(201);
    secrets.webhookSecret = hook.body.secret;

    // Upload (presigned part URLs), download (302 to a presigned GET), share with a password.
    const fileId = await readyFile(url, owner, "report.txt", randomBytesOf(2048));
    const download = check("download", await api(url, "GET", `/files/${fileId}/download`, { user: owner }));
    expect(download.status).toBe(302);
    expect(download.headers.get("location")).toContain("X-Amz-Signature=");
    secrets.presignedSignature = new URL(download.headers.get("location")!).searchParams.get("X-Amz-Signature")!;

    const sharePassword = `share password ${randomUUID()}`;
    secrets.sharePassword = sharePassword;
    const open = await shareFile(url, owner, fileId, { password: sharePassword });
    secrets.shareToken = open.token;
    const limited = await shareFile(url, owner, fileId, { password: sharePassword, maxDownloads: 1 });
    secrets.limitedShareToken = limited.token;
    expect(check("share page", await api(url, "GET", `/s/${open.token}`)).status).toBe(200);
    const wrongSharePassword = `wrong share password ${randomUUID()}`;
    secrets.wrongSharePassword = wrongSharePassword;
    expect(
      check("wrong share password", await downloadShare(url, open.token, { password: wrongSharePassword }), true)
        .status,
    ).toBe(401);
    const redirected = await fetch(`${url}/s/${open.token}/download`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Forwarded-For": randomIp() },
      body: JSON.stringify({ password: sharePassword }),
      redirect: "manual",
    });
    check("share 303", redirected, true);
    expect(redirected.status).toBe(303);
    secrets.sharePresignedSignature = new URL(redirected.headers.get("location")!).searchParams.get("X-Amz-Signature")!;
    const fetched = await fetch(redirected.headers.get("location")!);
    expect(fetched.status).toBe(200);
    await fetched.arrayBuffer();
    const streamed = await downloadShare(url, limited.token, { headerPassword: sharePassword });
    expect(check("share stream", streamed, true).status).toBe(200);
    // The bytes stay sandboxed; only the share page's own frame may hold them.
    expect(streamed.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox; frame-ancestors 'self'");

    // Logout with the refresh cookie.
    const logout = await call(url, "POST", "/auth/logout", {
      headers: { Cookie: `coffer_refresh=${second.refreshToken}` },
      ip: randomIp(),
    });
    expect(check("logout", logout).status).toBe(204);

    // The worker delivered the webhook's events (file.ready, share.downloaded …), signed with the secret.
    await waitFor("three webhook deliveries", () => receiver.received.length >= 3);
    expect(receiver.received[0].headers["coffer-signature"]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    worker!.child.kill("SIGTERM");
    await worker!.exited;
    const workerLines = (await readFile(worker!.logFile, "utf8")).split("\n").filter(Boolean);

    // Both were logged (the capture works), and no line holds a secret.
    expect(lines.filter((line) => line.includes('"msg":"request"')).length).toBeGreaterThan(15);
    expect(workerLines.filter((line) => line.includes('"msg":"scan finished"')).length).toBeGreaterThan(0);
    const leaks: string[] = [];
    for (const line of [...lines, ...workerLines]) {
      for (const [name, secret] of Object.entries(secrets)) {
        expect(secret.length).toBeGreaterThan(8);
        if (line.includes(secret)) leaks.push(`${name}: ${line.slice(0, 400)}`);
      }
      for (const marker of ["eyJ", "X-Amz-Signature", "X-Amz-Credential", "Bearer ", "coffer_refresh="]) {
        if (line.includes(marker)) leaks.push(`${marker}: ${line.slice(0, 400)}`);
      }
    }
    expect(leaks).toEqual([]);
    expect(headerProblems).toEqual([]);
  });
});
