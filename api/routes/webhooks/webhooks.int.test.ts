import { createUser, type TestUser } from "../../../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../../../test/files-testbed";
import { startTestServer } from "../../../test/deps";
import { mailsTo } from "../../../test/mailpit";
import { eicar } from "../../../test/samples";
import { downloadShare, readyFile, shareFile } from "../../../test/shares";
import { api, randomBytesOf, uploadFile, waitForStatus } from "../../../test/uploads";
import { WebhookReceiver } from "../../../test/webhook-receiver";
import { freePort } from "../../../test/worker-process";
import { fileLifecycleId } from "../../../lib/file-lifecycle";
import { webhookDeliveryId, webhookEvent } from "../../../lib/webhook-events";
import { verifyWebhookSignature } from "../../../lib/webhooks";

const ALL_EVENTS = ["file.ready", "file.quarantined", "file.rejected", "share.downloaded"];

describe("webhooks", () => {
  let bed: FilesTestbed;
  let url: string;
  const receivers: WebhookReceiver[] = [];
  beforeAll(async () => {
    bed = await startFilesTestbed({
      // The receivers of these tests listen on loopback.
      WEBHOOK_ALLOW_PRIVATE: "true",
      WEBHOOK_RETRY_INITIAL_MS: "200",
      WEBHOOK_RETRY_MAX_MS: "500",
      WEBHOOK_DISABLE_AFTER_SECONDS: "6",
      UPLOAD_BLOCKED_TYPES: "application/x-msdownload",
      TRUST_PROXY: "true",
    });
    url = bed.server.url;
  });
  afterAll(async () => {
    for (const receiver of receivers) await receiver.stop();
    await bed.close();
  });

  const receiver = async (port?: number) => {
    const started = await new WebhookReceiver(port).start();
    receivers.push(started);
    return started;
  };
  const createHook = async (user: TestUser, hookUrl: string, events = ALL_EVENTS) => {
    const res = await api(url, "POST", "/webhooks", { user, body: { url: hookUrl, events } });
    if (res.status !== 201) throw new Error(`POST /webhooks answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as { webhook: { id: string }; secret: string };
  };
  const deliveries = async (user: TestUser, webhookId: string) =>
    (await api(url, "GET", `/webhooks/${webhookId}/deliveries?limit=200`, { user })).body.deliveries as {
      eventId: string;
      attempt: number;
      statusCode: number | null;
      error: string | null;
    }[];
  const delivery = (webhookId: string, eventId: string) =>
    bed.deps.temporal.workflow.getHandle(webhookDeliveryId(webhookId, eventId));
  const fileEventId = (type: string, fileId: string) => webhookEvent(type as never, {}, `${type}:${fileId}`).id;
  async function until<T>(check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error("condition not met in time");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it("delivers every event exactly once per delivery id to a receiver that was down for a while", async () => {
    const user = await createUser(bed.deps);
    const port = await freePort();
    const { webhook, secret } = await createHook(user, `http://127.0.0.1:${port}/hook`);
    expect(secret).toMatch(/^whsec_/);

    // Three events while nothing listens: a ready file, a quarantined one, a share download.
    const readyId = await readyFile(url, user, "report.txt", randomBytesOf(2000));
    const { fileId: infectedId } = await uploadFile(url, user, "bad.com", eicar);
    await waitForStatus(url, user, infectedId, ["quarantined"]);
    const { token } = await shareFile(url, user, readyId, { maxDownloads: 5 });
    expect((await downloadShare(url, token)).status).toBe(200);

    // Each keeps failing and being retried with backoff…
    await until(async () => {
      const log = await deliveries(user, webhook.id);
      return (
        new Set(log.map((entry) => entry.eventId)).size === 3 && log.filter((e) => e.statusCode === null).length >= 6
      );
    });
    expect((await deliveries(user, webhook.id)).every((entry) => entry.statusCode === null && entry.error)).toBe(true);
    // …then the receiver comes up on its address.
    const hooks = await receiver(port);
    await until(async () => hooks.received.length >= 3 && hooks.received);
    const readyEvent = fileEventId("file.ready", readyId);
    const quarantineEvent = fileEventId("file.quarantined", infectedId);
    expect(await delivery(webhook.id, readyEvent).result()).toBe("delivered");
    expect(await delivery(webhook.id, quarantineEvent).result()).toBe("delivered");
    await new Promise((resolve) => setTimeout(resolve, 1000));

    expect(hooks.received).toHaveLength(3);
    const byType = Object.fromEntries(hooks.received.map((hook) => [hook.json.type, hook]));
    expect(Object.keys(byType).sort()).toEqual(["file.quarantined", "file.ready", "share.downloaded"]);
    expect(byType["file.ready"].json).toMatchObject({
      id: readyEvent,
      data: { file: { id: readyId, name: "report.txt", status: "ready", detectedMimeType: "text/plain" } },
    });
    expect(byType["file.quarantined"].json.data).toMatchObject({ file: { id: infectedId, status: "quarantined" } });
    expect(byType["share.downloaded"].json.data).toMatchObject({ file: { id: readyId }, share: { downloadCount: 1 } });
    const deliveryIds = hooks.received.map((hook) => hook.headers["coffer-delivery"]);
    expect(new Set(deliveryIds).size).toBe(3);
    for (const hook of hooks.received) {
      expect(hook.headers["coffer-delivery"]).toBe(webhookDeliveryId(webhook.id, hook.json.id));
      expect(hook.headers["content-type"]).toBe("application/json");
      const signature = String(hook.headers["coffer-signature"]);
      expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(verifyWebhookSignature(secret, hook.body, signature, Math.floor(Date.now() / 1000))).toBe(true);
      expect(verifyWebhookSignature("another secret", hook.body, signature, Math.floor(Date.now() / 1000))).toBe(false);
    }
    // The log: failed attempts, then one success per event on a later attempt.
    const log = await deliveries(user, webhook.id);
    for (const eventId of [readyEvent, quarantineEvent]) {
      const attempts = log.filter((entry) => entry.eventId === eventId);
      expect(attempts.filter((entry) => entry.statusCode === 204)).toHaveLength(1);
      expect(attempts.find((entry) => entry.statusCode === 204)!.attempt).toBeGreaterThan(1);
    }
    const [listed] = (await api(url, "GET", "/webhooks", { user })).body.webhooks;
    expect(listed).toMatchObject({ id: webhook.id, failingSince: null, disabledAt: null });
    expect(listed.secret).toBeUndefined();
  });

  it("follows no redirect and gives up an attempt after the timeout", async () => {
    const user = await createUser(bed.deps);
    const elsewhere = await receiver();
    const redirecting = await receiver();
    redirecting.mode = { redirectTo: elsewhere.url };
    const hanging = await receiver();
    hanging.mode = "hang";
    const moved = await createHook(user, redirecting.url, ["file.ready"]);
    const slow = await createHook(user, hanging.url, ["file.ready"]);
    await readyFile(url, user, "x.txt", randomBytesOf(100));

    const redirected = await until(async () => (await deliveries(user, moved.webhook.id))[0]);
    expect(redirected).toMatchObject({ statusCode: 302, attempt: 1 });
    const timedOut = await until(async () => (await deliveries(user, slow.webhook.id))[0], 20_000);
    expect(timedOut).toMatchObject({ statusCode: null, error: "timed out after 5000 ms" });
    // Deleting a webhook ends its retries.
    for (const { webhook } of [moved, slow]) {
      expect((await api(url, "DELETE", `/webhooks/${webhook.id}`, { user })).status).toBe(204);
    }
    expect(elsewhere.received).toHaveLength(0);
    expect(redirecting.received.length).toBeGreaterThanOrEqual(1);
  });

  it("disables a webhook that failed for WEBHOOK_DISABLE_AFTER_SECONDS and tells its owner once", async () => {
    const user = await createUser(bed.deps);
    const broken = await receiver();
    broken.mode = "fail";
    const { webhook } = await createHook(user, broken.url, ["file.ready", "file.rejected"]);
    const fileId = await readyFile(url, user, "a.txt", randomBytesOf(100));
    // The event is sent once the lifecycle has notified (after the thumbnail step).
    await bed.deps.temporal.workflow.getHandle(fileLifecycleId(fileId)).result();
    expect(await delivery(webhook.id, fileEventId("file.ready", fileId)).result()).toBe("webhook_disabled");

    const [listed] = (await api(url, "GET", "/webhooks", { user })).body.webhooks;
    expect(listed.disabledAt).not.toBeNull();
    const log = await deliveries(user, webhook.id);
    expect(log.length).toBeGreaterThan(3);
    expect(log.every((entry) => entry.statusCode === 500)).toBe(true);
    const notices = (await api(url, "GET", "/me/notifications", { user })).body.notifications;
    expect(notices).toEqual([
      expect.objectContaining({ kind: "webhook.disabled", data: expect.objectContaining({ url: broken.url }) }),
    ]);
    const mails = await mailsTo(user.user.email);
    expect(mails.map((mail) => mail.subject)).toEqual(["Coffer disabled a webhook that kept failing"]);

    // A disabled webhook gets no more events.
    const before = broken.received.length;
    await readyFile(url, user, "b.txt", randomBytesOf(100));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(broken.received.length).toBe(before);
  });

  it("keeps webhooks to their owner and answers bad input with 400", async () => {
    const owner = await createUser(bed.deps);
    const other = await createUser(bed.deps);
    const hooks = await receiver();
    const { webhook } = await createHook(owner, hooks.url, ["share.downloaded"]);
    expect((await api(url, "GET", `/webhooks/${webhook.id}/deliveries`, { user: other })).status).toBe(404);
    expect((await api(url, "DELETE", `/webhooks/${webhook.id}`, { user: other })).status).toBe(404);
    expect((await api(url, "GET", "/webhooks", { user: other })).body.webhooks).toEqual([]);
    for (const body of [
      { url: "ftp://example.com/x", events: ["file.ready"] },
      { url: "not a url", events: ["file.ready"] },
      { url: hooks.url, events: [] },
      { url: hooks.url, events: ["file.deleted"] },
      { url: hooks.url },
    ]) {
      const res = await api(url, "POST", "/webhooks", { user: owner, body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
    }
    expect((await api(url, "GET", `/webhooks/${webhook.id}/deliveries?before=abc`, { user: owner })).status).toBe(400);
    expect((await api(url, "GET", "/webhooks/not-a-uuid/deliveries", { user: owner })).status).toBe(400);
    expect((await api(url, "POST", "/webhooks", { body: { url: hooks.url, events: ["file.ready"] } })).status).toBe(
      401,
    );
  });

  it("refuses loopback, private, link-local and metadata URLs unless WEBHOOK_ALLOW_PRIVATE", async () => {
    // The same app with the default setting.
    const strict = await startTestServer({ ...bed.deps, config: { ...bed.deps.config, WEBHOOK_ALLOW_PRIVATE: false } });
    try {
      const user = await createUser(bed.deps);
      for (const hookUrl of [
        "http://localhost:8080/hook",
        "http://127.0.0.1/hook",
        "http://[::1]/hook",
        "http://10.0.0.7/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0x7f000001/hook",
      ]) {
        const res = await api(strict.url, "POST", "/webhooks", {
          user,
          body: { url: hookUrl, events: ["file.ready"] },
        });
        expect({ hookUrl, status: res.status, code: res.body.error?.code }).toEqual({
          hookUrl,
          status: 400,
          code: "url_not_allowed",
        });
      }
      expect((await api(strict.url, "GET", "/webhooks", { user })).body.webhooks).toEqual([]);
    } finally {
      await strict.close();
    }
  });
});
