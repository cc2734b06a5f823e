import { randomUUID } from "node:crypto";
import { MockActivityEnvironment } from "@temporalio/testing";
import { notifyFileOutcomeActivity } from "../../../activities/notify";
import { fileLifecycleId } from "../../../lib/file-lifecycle";
import { createUser, type TestUser } from "../../../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../../../test/files-testbed";
import { mailsTo } from "../../../test/mailpit";
import { eicar, windowsExecutable } from "../../../test/samples";
import { api, randomBytesOf, uploadFile } from "../../../test/uploads";

describe("notifications of file outcomes", () => {
  let bed: FilesTestbed;
  let url: string;
  const admins = [`alerts-${randomUUID()}@example.com`, `security-${randomUUID()}@example.com`];
  beforeAll(async () => {
    bed = await startFilesTestbed({
      ADMIN_ALERT_EMAILS: admins.join(", "),
      UPLOAD_BLOCKED_TYPES: "application/x-msdownload",
    });
    url = bed.server.url;
  });
  afterAll(() => bed.close());

  /** Uploads and waits for the whole FileLifecycle, notifications included. */
  async function settle(user: TestUser, name: string, bytes: Buffer, extra: Record<string, unknown> = {}) {
    const { fileId } = await uploadFile(url, user, name, bytes, extra);
    const outcome = await bed.deps.temporal.workflow.getHandle(fileLifecycleId(fileId)).result();
    return { fileId, outcome };
  }

  /** Runs the notify activity again, as a retry would. */
  const notifyAgain = (fileId: string, outcome: "ready" | "quarantined" | "rejected") =>
    new MockActivityEnvironment().run(
      notifyFileOutcomeActivity({
        config: bed.deps.config,
        db: bed.deps.db,
        storage: bed.deps.storage,
        mailer: bed.deps.mailer,
      } as never),
      fileId,
      outcome,
    );

  it("tells the owner in the app and by mail of a quarantine, and every admin alert address, once", async () => {
    const user = await createUser(bed.deps);
    const { fileId, outcome } = await settle(user, "invoice.com", eicar);
    expect(outcome).toBe("quarantined");

    const list = await api(url, "GET", "/me/notifications", { user });
    expect(list.status).toBe(200);
    expect(list.body.unread).toBe(1);
    expect(list.body.notifications).toEqual([
      expect.objectContaining({
        kind: "file.quarantined",
        fileId,
        readAt: null,
        data: expect.objectContaining({
          name: "invoice.com",
          refundedBytes: eicar.length,
          signature: expect.stringMatching(/eicar/i),
        }),
      }),
    ]);
    const [owner] = await mailsTo(user.user.email);
    expect(owner.subject).toContain('quarantined "invoice.com"');
    expect(owner.text).toContain(`${eicar.length} bytes`);
    expect(owner.text).toMatch(/no longer count against your quota/);
    for (const admin of admins) {
      const alerts = await mailsTo(admin);
      expect(alerts).toHaveLength(1);
      expect(alerts[0].subject).toMatch(/Malware detected/);
      expect(alerts[0].text).toContain(fileId);
      expect(alerts[0].text).toContain(user.user.email);
    }

    // The activity running again (a retry) adds and sends nothing.
    expect(await notifyAgain(fileId, "quarantined")).toEqual({ inApp: false, mailed: 0, skipped: 3, webhooks: 0 });
    expect((await api(url, "GET", "/me/notifications", { user })).body.notifications).toHaveLength(1);
    expect(await mailsTo(user.user.email)).toHaveLength(1);
    for (const admin of admins) expect(await mailsTo(admin)).toHaveLength(1);
  });

  it("tells the owner of a rejection with the reason and the bytes refunded; admins hear nothing", async () => {
    const user = await createUser(bed.deps);
    const exe = windowsExecutable(20_000);
    const { fileId, outcome } = await settle(user, "setup.pdf", exe, { mimeType: "application/pdf" });
    expect(outcome).toBe("rejected");
    const list = await api(url, "GET", "/me/notifications", { user });
    expect(list.body.notifications).toEqual([
      expect.objectContaining({
        kind: "file.rejected",
        fileId,
        data: expect.objectContaining({
          reason: "type_not_allowed",
          detectedMimeType: "application/x-msdownload",
          refundedBytes: 20_000,
        }),
      }),
    ]);
    const mails = await mailsTo(user.user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('Coffer refused "setup.pdf"');
    expect(mails[0].text).toContain("application/x-msdownload");
    expect(mails[0].text).toContain("19.5 KiB no longer count against your quota");
    for (const admin of admins) expect((await mailsTo(admin)).some((mail) => mail.text.includes(fileId))).toBe(false);
  });

  it('mails "ready" only to owners who asked for it, and once', async () => {
    const quiet = await createUser(bed.deps);
    const keen = await createUser(bed.deps);
    expect((await api(url, "GET", "/me/notifications/settings", { user: keen })).body).toEqual({
      mailWhenReady: false,
    });
    const turnedOn = await api(url, "PATCH", "/me/notifications/settings", {
      user: keen,
      body: { mailWhenReady: true },
    });
    expect(turnedOn).toMatchObject({ status: 200, body: { mailWhenReady: true } });

    const [a, b] = await Promise.all([
      settle(quiet, "a.txt", randomBytesOf(3000)),
      settle(keen, "b.txt", randomBytesOf(3000)),
    ]);
    expect([a.outcome, b.outcome]).toEqual(["ready", "ready"]);
    expect(await mailsTo(quiet.user.email)).toHaveLength(0);
    const mails = await mailsTo(keen.user.email);
    expect(mails.map((mail) => mail.subject)).toEqual(['"b.txt" is ready in Coffer']);
    // Ready files make no in-app notification.
    expect((await api(url, "GET", "/me/notifications", { user: keen })).body.unread).toBe(0);
    expect(await notifyAgain(b.fileId, "ready")).toMatchObject({ mailed: 0, skipped: 1 });
    expect(await mailsTo(keen.user.email)).toHaveLength(1);
  });

  it("marks the caller's notifications read by id or all at once, never another user's", async () => {
    const user = await createUser(bed.deps);
    const other = await createUser(bed.deps);
    const settled = await Promise.all([1, 2, 3].map((i) => settle(user, `bad-${i}.com`, eicar)));
    expect(settled.map((s) => s.outcome)).toEqual(["quarantined", "quarantined", "quarantined"]);

    const page1 = await api(url, "GET", "/me/notifications?limit=2", { user });
    expect(page1.body.notifications).toHaveLength(2);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await api(url, "GET", `/me/notifications?limit=2&cursor=${page1.body.nextCursor}`, { user });
    expect(page2.body.notifications).toHaveLength(1);
    expect(page2.body.nextCursor).toBeNull();
    const all = [...page1.body.notifications, ...page2.body.notifications];
    expect(new Set(all.map((n: { id: string }) => n.id)).size).toBe(3);
    // Newest first.
    const times = all.map((n: { createdAt: string }) => Date.parse(n.createdAt));
    expect([...times].sort((x, y) => y - x)).toEqual(times);

    const stranger = await api(url, "POST", "/me/notifications/read", { user: other, body: { ids: [all[0].id] } });
    expect(stranger.body).toEqual({ marked: 0, unread: 0 });
    const one = await api(url, "POST", "/me/notifications/read", { user, body: { ids: [all[0].id] } });
    expect(one).toMatchObject({ status: 200, body: { marked: 1, unread: 2 } });
    const rest = await api(url, "POST", "/me/notifications/read", { user, body: { all: true } });
    expect(rest.body).toEqual({ marked: 2, unread: 0 });
    const after = await api(url, "GET", "/me/notifications", { user });
    expect(after.body.notifications.every((n: { readAt: string | null }) => n.readAt !== null)).toBe(true);
  });

  it("answers bad input with 400 and the error body, and anonymous calls with 401", async () => {
    const user = await createUser(bed.deps);
    for (const body of [{}, { ids: [] }, { ids: ["nope"] }, { all: false }, { all: "yes" }]) {
      const res = await api(url, "POST", "/me/notifications/read", { user, body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
    }
    expect((await api(url, "GET", "/me/notifications?cursor=garbage", { user })).status).toBe(400);
    expect((await api(url, "GET", "/me/notifications?limit=0", { user })).status).toBe(400);
    const settings = await api(url, "PATCH", "/me/notifications/settings", { user, body: { mailWhenReady: "yes" } });
    expect(settings.status).toBe(400);
    expect((await api(url, "GET", "/me/notifications")).status).toBe(401);
  });
});
