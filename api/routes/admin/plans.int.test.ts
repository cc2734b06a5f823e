import { randomUUID } from "node:crypto";
import { configuredPlans, seedPlans } from "../../../db/commands/plans/plans";
import { AuditEntry, File, User } from "../../../db/models";
import { call, useAccountsTestEnv } from "../../../test/accounts";
import { closeDeps, createTestDeps, startTestServer, type TestServer } from "../../../test/deps";
import { createUser, type TestUser } from "../../../test/factories";
import { api, initUpload } from "../../../test/uploads";
import type { AppDeps } from "../../deps";

const MiB = 1024 * 1024;

type PlanBody = { id: string; name: string; quotaBytes: number; maxFiles: number; maxFileBytes: number };

describe("plans: admin CRUD, assignment, GET /me and the limits at upload init", () => {
  let deps: AppDeps;
  let server: TestServer;
  let admin: TestUser;
  beforeAll(async () => {
    useAccountsTestEnv({ MAX_CONCURRENT_UPLOADS: "100", RATE_LIMIT_UPLOAD_PER_MINUTE: "100000" });
    deps = await createTestDeps();
    server = await startTestServer(deps);
    admin = await createUser(deps, { role: "admin" });
  });
  afterAll(async () => {
    await server.close();
    await closeDeps(deps);
  });

  const newPlan = async (limits: Partial<PlanBody> = {}) => {
    const reply = await call<{ plan: PlanBody }>(server.url, "POST", "/admin/plans", {
      token: admin.token,
      body: { name: `plan-${randomUUID()}`, quotaBytes: 100 * MiB, maxFiles: 10, maxFileBytes: 10 * MiB, ...limits },
    });
    expect(reply.status).toBe(201);
    return reply.body.plan;
  };
  const assign = (userId: string, planId: string | null) =>
    call<{ user: { planId: string | null; quotaBytes: number } }>(server.url, "PATCH", `/admin/users/${userId}`, {
      token: admin.token,
      body: { planId },
    });
  const me = async (user: TestUser) => (await api(server.url, "GET", "/me", { user })).body.quota;

  it("creates, lists and edits plans; a taken name is 409; non-admins get 404", async () => {
    const plan = await newPlan({ quotaBytes: 5 * MiB });
    const again = await call(server.url, "POST", "/admin/plans", {
      token: admin.token,
      body: { name: plan.name, quotaBytes: 1, maxFiles: 1, maxFileBytes: 1 },
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: "name_taken" } });

    const list = await call<{ plans: PlanBody[] }>(server.url, "GET", "/admin/plans", { token: admin.token });
    expect(list.body.plans).toContainEqual(expect.objectContaining({ id: plan.id, quotaBytes: 5 * MiB }));

    const edited = await call<{ plan: PlanBody }>(server.url, "PATCH", `/admin/plans/${plan.id}`, {
      token: admin.token,
      body: { maxFiles: 42 },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.plan).toMatchObject({ maxFiles: 42, quotaBytes: 5 * MiB });

    const bad = await call(server.url, "POST", "/admin/plans", {
      token: admin.token,
      body: { name: "", quotaBytes: -1, maxFiles: 1.5, maxFileBytes: 0 },
    });
    expect(bad.status).toBe(400);
    expect(
      (await call(server.url, "PATCH", `/admin/plans/${randomUUID()}`, { token: admin.token, body: { maxFiles: 1 } }))
        .status,
    ).toBe(404);

    const user = await createUser(deps);
    expect((await call(server.url, "GET", "/admin/plans", { token: user.token })).status).toBe(404);
    expect(
      (
        await call(server.url, "POST", "/admin/plans", {
          token: user.token,
          body: { name: "x", quotaBytes: 1, maxFiles: 1, maxFileBytes: 1 },
        })
      ).status,
    ).toBe(404);
    expect(await AuditEntry.query(deps.db).where({ targetId: plan.id }).orderBy("id")).toEqual([
      expect.objectContaining({ action: "plan.created", actorId: admin.user.id }),
      expect.objectContaining({ action: "plan.updated", actorId: admin.user.id }),
    ]);
  });

  it("assigning a plan sets the quota and limits at once; GET /me shows them; a plan's new quota reaches its users", async () => {
    const plan = await newPlan({ quotaBytes: 7 * MiB, maxFiles: 3, maxFileBytes: 2 * MiB });
    const user = await createUser(deps);
    expect(await me(user)).toMatchObject({ plan: null, maxFiles: null, maxFileBytes: deps.config.PUBLIC_MAX_BYTES });

    const assigned = await assign(user.user.id, plan.id);
    expect(assigned.status).toBe(200);
    expect(assigned.body.user).toMatchObject({ planId: plan.id, quotaBytes: 7 * MiB });
    expect(await me(user)).toMatchObject({
      plan: plan.name,
      quotaBytes: 7 * MiB,
      maxFiles: 3,
      maxFileBytes: 2 * MiB,
      filesCount: 0,
    });

    const tooBig = await initUpload(server.url, user, "big.bin", 2 * MiB + 1);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toMatchObject({ error: { code: "file_too_large", details: { maxFileBytes: 2 * MiB } } });
    expect((await initUpload(server.url, user, "fits.bin", 2 * MiB)).status).toBe(201);

    await call(server.url, "PATCH", `/admin/plans/${plan.id}`, { token: admin.token, body: { quotaBytes: 9 * MiB } });
    expect(await me(user)).toMatchObject({ quotaBytes: 9 * MiB, filesCount: 1 });

    expect((await assign(user.user.id, randomUUID())).body).toMatchObject({ error: { code: "unknown_plan" } });
    const off = await assign(user.user.id, null);
    expect(off.body.user.planId).toBeNull();
    expect(await me(user)).toMatchObject({ plan: null, maxFiles: null });
    expect((await initUpload(server.url, user, "big.bin", 2 * MiB + 1)).status).toBe(201);
  });

  it("50 parallel inits at the file limit never overshoot it", async () => {
    const plan = await newPlan({ maxFiles: 5, quotaBytes: 1024 * MiB });
    const user = await createUser(deps);
    await assign(user.user.id, plan.id);
    expect((await initUpload(server.url, user, "first.bin", 1024)).status).toBe(201);

    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => initUpload(server.url, user, `file-${i}.bin`, 1024)),
    );
    const statuses = replies.map((reply) => reply.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(4);
    expect(statuses.filter((status) => status === 413)).toHaveLength(46);
    for (const reply of replies.filter((r) => r.status === 413))
      expect(reply.body).toMatchObject({ error: { code: "file_count_exceeded", details: { maxFiles: 5 } } });
    expect(await File.query(deps.db).where({ ownerId: user.user.id, status: "uploading" }).resultSize()).toBe(5);
    expect(await me(user)).toMatchObject({ filesCount: 5, reservedBytes: 5 * 1024 });

    // A failed upload no longer counts: its slot under the limit comes back.
    const open = await File.query(deps.db).findOne({ ownerId: user.user.id, name: "first.bin" });
    expect((await api(server.url, "DELETE", `/files/${open!.id}/upload`, { user })).status).toBe(204);
    expect((await initUpload(server.url, user, "again.bin", 1024)).status).toBe(201);
  });

  it("new accounts get the seeded free plan and its quota", async () => {
    await seedPlans(deps.db, configuredPlans(deps.config));
    const email = `plan-${randomUUID()}@example.com`;
    const reply = await call(server.url, "POST", "/auth/register", {
      body: { email, password: "long enough password" },
    });
    expect(reply.status).toBe(201);
    const user = await User.query(deps.db).findOne({ email });
    const free = await deps.db("plans").where({ name: "free" }).first();
    expect(user!.planId).toBe(free.id);
    expect(user!.quotaBytes).toBe(free.quotaBytes);
  });
});

describe("admin upload concurrency: GET and DELETE /admin/uploads/concurrency", () => {
  let deps: AppDeps;
  let server: TestServer;
  let admin: TestUser;
  beforeAll(async () => {
    useAccountsTestEnv({ MAX_CONCURRENT_UPLOADS: "3", RATE_LIMIT_UPLOAD_PER_MINUTE: "100000" });
    deps = await createTestDeps();
    server = await startTestServer(deps);
    admin = await createUser(deps, { role: "admin" });
  });
  afterAll(async () => {
    await server.close();
    await closeDeps(deps);
  });

  it("lists users holding slots and clears one user's slots and reservations exactly, audited", async () => {
    const user = await createUser(deps);
    const other = await createUser(deps);
    for (let i = 0; i < 3; i++)
      expect((await initUpload(server.url, user, `u-${i}.bin`, (i + 1) * MiB)).status).toBe(201);
    expect((await initUpload(server.url, other, "o.bin", MiB)).status).toBe(201);
    const refused = await initUpload(server.url, user, "u-3.bin", MiB);
    expect(refused.status).toBe(429);

    const view = await call<{
      limitPerUser: number;
      openUploads: number;
      users: { userId: string; email: string; open: number; reservedBytes: number; oldestHeartbeatAt: string }[];
    }>(server.url, "GET", "/admin/uploads/concurrency", { token: admin.token });
    expect(view.status).toBe(200);
    expect(view.body.limitPerUser).toBe(3);
    expect(view.body.openUploads).toBeGreaterThanOrEqual(4);
    expect(view.body.users).toContainEqual({
      userId: user.user.id,
      email: user.user.email,
      open: 3,
      reservedBytes: 6 * MiB,
      oldestHeartbeatAt: expect.any(String),
    });

    // The admin's clear races the user's own cancel of one upload and a second clear: each upload
    // is closed once and each byte released once.
    const own = await File.query(deps.db).findOne({ ownerId: user.user.id, name: "u-0.bin" });
    const [first, , second] = await Promise.all([
      call<{ aborted: number; releasedBytes: number }>(
        server.url,
        "DELETE",
        `/admin/uploads/concurrency/${user.user.id}`,
        { token: admin.token },
      ),
      api(server.url, "DELETE", `/files/${own!.id}/upload`, { user }),
      call<{ aborted: number; releasedBytes: number }>(
        server.url,
        "DELETE",
        `/admin/uploads/concurrency/${user.user.id}`,
        { token: admin.token },
      ),
    ]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    const clearedBytes = first.body.releasedBytes + second.body.releasedBytes;
    expect(first.body.aborted + second.body.aborted).toBeGreaterThanOrEqual(2);
    expect(clearedBytes === 5 * MiB || clearedBytes === 6 * MiB).toBe(true);

    const after = await User.query(deps.db).findById(user.user.id);
    expect(after!.reservedBytes).toBe(0);
    expect(await File.query(deps.db).where({ ownerId: user.user.id, status: "uploading" }).resultSize()).toBe(0);
    expect((await User.query(deps.db).findById(other.user.id))!.reservedBytes).toBe(MiB);
    expect((await initUpload(server.url, user, "u-4.bin", MiB)).status).toBe(201);

    const audits = await AuditEntry.query(deps.db).where({ targetId: user.user.id, action: "uploads.slots_cleared" });
    expect(audits).toHaveLength(2);
    expect(audits[0]).toMatchObject({ actorId: admin.user.id });

    expect(
      (await call(server.url, "DELETE", `/admin/uploads/concurrency/${randomUUID()}`, { token: admin.token })).status,
    ).toBe(404);
    expect((await call(server.url, "GET", "/admin/uploads/concurrency", { token: user.token })).status).toBe(404);
    expect(
      (await call(server.url, "DELETE", `/admin/uploads/concurrency/${user.user.id}`, { token: user.token })).status,
    ).toBe(404);
  });
});
