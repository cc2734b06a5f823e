import { randomUUID } from "node:crypto";
import sharp from "sharp";
import { randomIp, uniqueEmail } from "../test/accounts";
import { createUser, testPassword, type TestUser } from "../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../test/files-testbed";
import { missingSecurityHeaders } from "../test/security-headers";
import { downloadShare, readyFile, shareFile, shareMetadata, shareTestEnv } from "../test/shares";
import { api, initUpload, randomBytesOf, uploadFile } from "../test/uploads";
import { startSession } from "../db/commands/accounts/refresh-tokens";
import { User } from "../db/models";
import { fileLifecycleId } from "../lib/file-lifecycle";
import type { Operation } from "./route-table";
import { routeTable } from "./routes";

/**
 * The authorization matrix (issue 15, docs/api.md "Authorization"): every operation of the route
 * table is called as each kind of caller, with real resources of one owner in its path and body.
 * - anonymous: 401 on user and admin routes;
 * - a disabled user whose access token and session are otherwise still valid: 401;
 * - another user, and an admin, naming the owner's file, folder, upload, share, webhook, session …:
 *   404, exactly as for an id that does not exist (SPEC §6: never 403, nothing leaks);
 * - a user who is not an admin on an admin route: 404, as if the route did not exist (docs/decisions.md);
 * - the owner (the admin on admin routes): the status the operation answers when it works;
 * - public routes, anonymous and signed in: never a 5xx.
 * Every response also carries the security headers. An operation added to the table without a
 * row here fails the test.
 */
interface Resources {
  owner: TestUser;
  /** A second owner-less account the admin routes act on. */
  target: TestUser;
  fileId: string;
  folderId: string;
  /** Where startUpload puts its upload (an open upload keeps its folder out of the trash). */
  inboxId: string;
  uploadId: string;
  shareId: string;
  shareToken: string;
  /** Revoked by the owner's call of revokeShare (the other share must stay live for the rows after it). */
  doomedShareId: string;
  webhookId: string;
  doomedWebhookId: string;
  notificationId: string;
  planId: string;
}

type Value<T> = T | ((r: Resources) => T | Promise<T>);

interface Case {
  params?: Value<Record<string, string>>;
  query?: Value<Record<string, string>>;
  body?: Value<object>;
  /** The request names a resource of the owner's (in its path or body): anyone else gets 404. */
  owned?: boolean;
  /** What the owner (the admin on admin routes) gets; public routes need only stay below 500. */
  ok?: number | number[];
  /** Runs after every other row (it ends the owner's account). */
  last?: boolean;
}

const sharePassword = `share pass ${randomUUID()}`;
const newOwnerPassword = `new owner password ${randomUUID()}`;

const cases: Record<string, Case> = {
  // ops
  getHealth: {},
  getMetrics: {},
  // auth (public)
  register: { body: () => ({ email: uniqueEmail(), password: "a long enough password" }) },
  verifyEmail: { body: { token: "A".repeat(43) } },
  resendVerification: { body: () => ({ email: uniqueEmail() }) },
  login: { body: () => ({ email: uniqueEmail(), password: "a long enough password" }) },
  refreshSession: {},
  logout: {},
  forgotPassword: { body: () => ({ email: uniqueEmail() }) },
  resetPassword: { body: { token: "A".repeat(43), password: "a long enough password" } },
  // me
  getMe: { ok: 200 },
  updateMe: { body: { name: "Matrix Owner" }, ok: 200 },
  changePassword: { body: { currentPassword: testPassword, newPassword: newOwnerPassword }, ok: 204 },
  listSessions: { ok: 200 },
  endOtherSessions: { ok: 200 },
  endSession: {
    params: async (r) => ({
      id: (await startSession({ db: bed.deps.db, userId: r.owner.user.id, ttlSeconds: 600 })).sessionId,
    }),
    owned: true,
    ok: 204,
  },
  deleteMe: { body: { password: newOwnerPassword }, ok: 202, last: true },
  // notifications
  listNotifications: { ok: 200 },
  markNotificationsRead: { body: (r) => ({ ids: [r.notificationId] }), ok: 200 },
  getNotificationSettings: { ok: 200 },
  updateNotificationSettings: { body: { mailWhenReady: false }, ok: 200 },
  // uploads
  startUpload: { body: (r) => ({ name: "more.bin", sizeBytes: 10, folderId: r.inboxId }), owned: true, ok: 201 },
  signUploadParts: { params: (r) => ({ id: r.uploadId }), body: { partNumbers: [1] }, owned: true, ok: 200 },
  listUploadParts: { params: (r) => ({ id: r.uploadId }), owned: true, ok: 200 },
  listOpenUploads: { ok: 200 },
  heartbeatUpload: { params: (r) => ({ id: r.uploadId }), owned: true, ok: 204 },
  // Nothing was stored for the part named: the owner's complete is refused for that, after the ownership check.
  completeUpload: {
    params: (r) => ({ id: r.uploadId }),
    body: { parts: [{ partNumber: 1, etag: '"0123456789abcdef0123456789abcdef"' }] },
    owned: true,
    ok: 400,
  },
  abortUpload: { params: (r) => ({ id: r.uploadId }), owned: true, ok: 204 },
  // files
  getFile: { params: (r) => ({ id: r.fileId }), owned: true, ok: 200 },
  downloadFile: { params: (r) => ({ id: r.fileId }), owned: true, ok: 302 },
  getFileDownloadUrl: { params: (r) => ({ id: r.fileId }), owned: true, ok: 200 },
  getFileThumbnail: { params: (r) => ({ id: r.fileId }), owned: true, ok: 302 },
  getFilePreview: { params: (r) => ({ id: r.fileId }), owned: true, ok: 302 },
  updateFile: { params: (r) => ({ id: r.fileId }), body: (r) => ({ folderId: r.folderId }), owned: true, ok: 200 },
  deleteFile: { params: (r) => ({ id: r.fileId }), owned: true, ok: 200 },
  restoreFile: { params: (r) => ({ id: r.fileId }), owned: true, ok: 200 },
  // folders
  createFolder: { body: (r) => ({ name: "inner", parentId: r.folderId }), owned: true, ok: 201 },
  listRootFolder: { ok: 200 },
  listFolder: { params: (r) => ({ id: r.folderId }), owned: true, ok: 200 },
  updateFolder: { params: (r) => ({ id: r.folderId }), body: { name: "renamed" }, owned: true, ok: 200 },
  trashFolder: { params: (r) => ({ id: r.folderId }), owned: true, ok: 200 },
  restoreFolder: { params: (r) => ({ id: r.folderId }), owned: true, ok: 200 },
  listTrash: { ok: 200 },
  search: { query: { q: "matrix" }, ok: 200 },
  // shares
  createShare: { body: (r) => ({ fileId: r.fileId }), owned: true, ok: 201 },
  listShares: { ok: 200 },
  getShare: { params: (r) => ({ id: r.shareId }), owned: true, ok: 200 },
  revokeShare: { params: (r) => ({ id: r.doomedShareId }), owned: true, ok: 200 },
  updateShare: { params: (r) => ({ id: r.shareId }), body: { maxDownloads: 50 }, owned: true, ok: 200 },
  listShareDownloads: { params: (r) => ({ id: r.shareId }), owned: true, ok: 200 },
  getPublicShare: { params: (r) => ({ token: r.shareToken }) },
  downloadPublicShare: { params: (r) => ({ token: r.shareToken }), body: { password: sharePassword } },
  // webhooks
  createWebhook: { body: { url: "http://127.0.0.1:9/hook", events: ["file.ready"] }, ok: 201 },
  listWebhooks: { ok: 200 },
  deleteWebhook: { params: (r) => ({ id: r.doomedWebhookId }), owned: true, ok: 204 },
  listWebhookDeliveries: { params: (r) => ({ id: r.webhookId }), owned: true, ok: 200 },
  // admin
  listUsers: { ok: 200 },
  updateUser: { params: (r) => ({ id: r.target.user.id }), body: { quotaBytes: 10 * 1024 * 1024 }, ok: 200 },
  listPlans: { ok: 200 },
  createPlan: {
    body: () => ({ name: `matrix ${randomUUID()}`.slice(0, 60), quotaBytes: 1024, maxFiles: 10, maxFileBytes: 1024 }),
    ok: 201,
  },
  updatePlan: { params: (r) => ({ id: r.planId }), body: { maxFiles: 11 }, ok: 200 },
  getUploadConcurrency: { ok: 200 },
  clearUploadSlots: { params: (r) => ({ userId: r.target.user.id }), ok: 200 },
  getAdminHealth: { ok: 200 },
  getUploadAnalytics: { ok: 200 },
  getDailyUploads: { ok: 200 },
  getUploadQueue: { ok: 200 },
  getUploadFailures: { ok: 200 },
  getTopUploaders: { ok: 200 },
  runUploadCleanup: { body: { dryRun: true }, ok: [200, 202] },
  getAdminSettings: { ok: 200 },
  // reference (public)
  getOpenApiDocument: {},
  getApiReference: {},
  getApiReferenceAsset: { params: { file: "init.js" } },
};

let bed: FilesTestbed;

/** visitor: a signed-in user of its own on the public routes (logout with a bearer token ends its session). */
type Caller = "anonymous" | "visitor" | "disabled" | "other" | "admin" | "owner";

interface Answer {
  status: number;
  code?: string;
  text?: string;
}

describe("the authorization matrix: every operation × anonymous, disabled, other user, owner, admin", () => {
  const users = {} as Record<Exclude<Caller, "anonymous">, TestUser>;
  const r = {} as Resources;
  beforeAll(async () => {
    bed = await startFilesTestbed(
      shareTestEnv({
        RATE_LIMIT_AUTH_PER_MINUTE: "100000",
        RATE_LIMIT_ADMIN_PER_MINUTE: "100000",
        RATE_LIMIT_UPLOAD_PER_MINUTE: "100000",
        RATE_LIMIT_SHARE_PASSWORD_PER_MINUTE: "100000",
        WEBHOOK_ALLOW_PRIVATE: "true",
      }),
    );
    const { db } = bed.deps;
    const url = bed.server.url;
    const [owner, other, disabled, target, visitor, admin] = await Promise.all([
      ...Array.from({ length: 5 }, () => createUser(bed.deps)),
      createUser(bed.deps, { role: "admin" }),
    ]);
    // Disabled behind the token's back: its session still stands, only disabled_at says no.
    await User.query(db).findById(disabled.user.id).patch({ disabledAt: new Date() });
    Object.assign(users, { owner, other, disabled, admin, visitor });

    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#335577" } })
      .jpeg()
      .toBuffer();
    const { fileId } = await uploadFile(url, owner, "matrix.jpg", photo, { mimeType: "image/jpeg" });
    expect(await bed.deps.temporal.workflow.getHandle(fileLifecycleId(fileId)).result()).toBe("ready");
    const folder = await api(url, "POST", "/folders", { user: owner, body: { name: "matrix" } });
    const inbox = await api(url, "POST", "/folders", { user: owner, body: { name: "inbox" } });
    const upload = await initUpload(url, owner, "open.bin", 10);
    const share = await shareFile(url, owner, fileId, { password: sharePassword });
    const doomedShare = await shareFile(url, owner, fileId);
    const hook = { url: "http://127.0.0.1:9/hook", events: ["file.ready"] };
    const webhook = await api(url, "POST", "/webhooks", { user: owner, body: hook });
    const doomedWebhook = await api(url, "POST", "/webhooks", { user: owner, body: hook });
    const plan = await api(url, "POST", "/admin/plans", {
      user: admin,
      body: { name: `matrix ${randomUUID()}`.slice(0, 60), quotaBytes: 2048, maxFiles: 5, maxFileBytes: 2048 },
    });
    const [notification] = await db("notifications")
      .insert({ user_id: owner.user.id, kind: "file.ready", file_id: fileId, idempotency_key: randomUUID() })
      .returning("id");
    for (const [what, created] of Object.entries({ folder, inbox, upload, webhook, doomedWebhook, plan }))
      expect([what, created.status]).toEqual([what, 201]);
    Object.assign(r, {
      owner,
      target,
      fileId,
      folderId: folder.body.folder.id,
      inboxId: inbox.body.folder.id,
      uploadId: upload.body.file.id,
      shareId: share.share.id,
      shareToken: share.token,
      doomedShareId: doomedShare.share.id,
      webhookId: webhook.body.webhook.id,
      doomedWebhookId: doomedWebhook.body.webhook.id,
      notificationId: notification.id,
      planId: plan.body.plan.id,
    });
  });
  afterAll(() => bed?.close());

  /** What would betray one of the owner's resources in someone else's answer. */
  const ownerMarks = () => [
    r.owner.user.id,
    r.owner.user.email,
    r.fileId,
    r.folderId,
    r.inboxId,
    r.uploadId,
    r.shareId,
    r.doomedShareId,
    r.shareToken,
    r.webhookId,
    r.doomedWebhookId,
    r.notificationId,
  ];

  const resolve = <T>(value: Value<T> | undefined, fallback: T) =>
    typeof value === "function" ? (value as (r: Resources) => T | Promise<T>)(r) : (value ?? fallback);

  /** One call of `op` as `caller`; checks the security headers of the answer on the way. */
  async function callAs(op: Operation, caller: Caller, headerProblems: string[]): Promise<Answer> {
    const row = cases[op.operationId];
    const params = await resolve(row.params, {} as Record<string, string>);
    const query = new URLSearchParams(await resolve(row.query, {} as Record<string, string>)).toString();
    const body = await resolve<object | undefined>(row.body, undefined);
    const path = op.path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
      if (params[name] === undefined) throw new Error(`${op.operationId}: no value for :${name}`);
      return encodeURIComponent(params[name]);
    });
    const headers: Record<string, string> = { "X-Forwarded-For": randomIp() };
    if (caller !== "anonymous") headers.Authorization = `Bearer ${users[caller].token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const res = await fetch(`${op.atRoot ? bed.server.origin : bed.server.url}${path}${query ? `?${query}` : ""}`, {
      method: op.method.toUpperCase(),
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: "manual",
    });
    const label = `${op.operationId} as ${caller} (${res.status})`;
    headerProblems.push(...missingSecurityHeaders(res.headers, label, { sameOrigin: op.framedBySameOrigin }));
    const text = await res.text();
    if (res.status < 400 || !res.headers.get("content-type")?.includes("json")) return { status: res.status, text };
    const parsed = JSON.parse(text) as { error?: { code?: string }; requestId?: string };
    if (!parsed.error?.code || !parsed.requestId) throw new Error(`${label} without the error envelope: ${text}`);
    return { status: res.status, code: parsed.error.code };
  }

  it("refuses everyone but the owner (the admin on admin routes), with every operation covered", async () => {
    const missing = routeTable.filter((op) => !cases[op.operationId]).map((op) => op.operationId);
    const stale = Object.keys(cases).filter((id) => !routeTable.some((op) => op.operationId === id));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });

    const problems: string[] = [];
    const headerProblems: string[] = [];
    const exercised = new Set<string>();
    const expectAnswer = (op: Operation, caller: Caller, got: Answer, want: Answer) => {
      const matches = got.status === want.status && (want.code === undefined || got.code === want.code);
      if (!matches)
        problems.push(`${op.operationId} as ${caller}: ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    };

    async function walk(op: Operation) {
      const row = cases[op.operationId];
      if (op.auth === "public") {
        for (const caller of ["anonymous", "visitor"] as const) {
          const got = await callAs(op, caller, headerProblems);
          if (got.status >= 500) problems.push(`${op.operationId} as ${caller}: ${got.status}`);
        }
        exercised.add(op.operationId);
        return;
      }
      expectAnswer(op, "anonymous", await callAs(op, "anonymous", headerProblems), {
        status: 401,
        code: "unauthorized",
      });
      expectAnswer(op, "disabled", await callAs(op, "disabled", headerProblems), {
        status: 401,
        code: "invalid_token",
      });
      const ok = [row.ok ?? []].flat();
      if (op.auth === "admin") {
        // Same answer as a route that does not exist.
        expectAnswer(op, "owner", await callAs(op, "owner", headerProblems), { status: 404, code: "not_found" });
        const got = await callAs(op, "admin", headerProblems);
        if (!ok.includes(got.status)) problems.push(`${op.operationId} as admin: ${JSON.stringify(got)}, want ${ok}`);
      } else {
        if (row.owned) {
          for (const caller of ["other", "admin"] as const)
            expectAnswer(op, caller, await callAs(op, caller, headerProblems), { status: 404, code: "not_found" });
        } else if (!row.last) {
          // The caller's own view (lists, search, sessions …): nothing of the owner's shows in it.
          const got = await callAs(op, "other", headerProblems);
          const seen = ownerMarks().filter((mark) => got.text?.includes(mark));
          if (got.status >= 500 || [401, 403].includes(got.status) || seen.length)
            problems.push(`${op.operationId} as other: ${got.status}, shows the owner's ${seen.join(", ")}`);
        }
        const got = await callAs(op, "owner", headerProblems);
        if (!ok.includes(got.status)) problems.push(`${op.operationId} as owner: ${JSON.stringify(got)}, want ${ok}`);
      }
      exercised.add(op.operationId);
    }

    const ordered = [
      ...routeTable.filter((op) => !cases[op.operationId].last),
      ...routeTable.filter((op) => cases[op.operationId].last),
    ];
    for (const op of ordered) await walk(op);

    expect(problems).toEqual([]);
    expect(headerProblems).toEqual([]);
    expect(routeTable.filter((op) => !exercised.has(op.operationId)).map((op) => op.operationId)).toEqual([]);
  });

  it("marks no notification of the owner's read for someone else who names it", async () => {
    const owner = await createUser(bed.deps);
    const other = await createUser(bed.deps);
    const [notification] = await bed.deps
      .db("notifications")
      .insert({ user_id: owner.user.id, kind: "file.ready", idempotency_key: randomUUID() })
      .returning("id");
    const marked = await api(bed.server.url, "POST", "/me/notifications/read", {
      user: other,
      body: { ids: [notification.id] },
    });
    expect([marked.status, marked.body.marked]).toEqual([200, 0]);
    const mine = await api(bed.server.url, "GET", "/me/notifications", { user: owner });
    expect(mine.body.unread).toBe(1);
  });

  it("stops the links of a disabled account at once, and they work again once it is enabled", async () => {
    const url = bed.server.url;
    const owner = await createUser(bed.deps);
    const fileId = await readyFile(url, owner, "linked.txt", randomBytesOf(100));
    const fileLink = await shareFile(url, owner, fileId);
    const folder = await api(url, "POST", "/folders", { user: owner, body: { name: "linked" } });
    const folderLink = await api(url, "POST", "/shares", { user: owner, body: { folderId: folder.body.folder.id } });
    const folderToken = (folderLink.body.url as string).split("/").pop()!;
    const setDisabled = async (disabled: boolean) => {
      const res = await api(url, "PATCH", `/admin/users/${owner.user.id}`, { user: users.admin, body: { disabled } });
      expect(res.status).toBe(200);
    };
    const answers = async () => [
      (await shareMetadata(url, fileLink.token)).status,
      (await shareMetadata(url, folderToken)).status,
      (await downloadShare(url, fileLink.token)).status,
    ];

    expect(await answers()).toEqual([200, 200, 200]);
    await setDisabled(true);
    const gone = await shareMetadata(url, fileLink.token);
    expect([gone.status, gone.body.error.code, gone.body.error.details]).toEqual([
      410,
      "share_gone",
      { reason: "file_unavailable" },
    ]);
    expect(await answers()).toEqual([410, 410, 410]);
    await setDisabled(false);
    expect(await answers()).toEqual([200, 200, 200]);
  });
});
