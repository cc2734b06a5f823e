import { createUser, type TestUser } from "../../../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../../../test/files-testbed";
import { eicar } from "../../../test/samples";
import { findOwnedFile } from "../../../db/commands/files/find";
import { api, initUpload, putPartDirectly, randomBytesOf, uploadFile, waitForStatus } from "../../../test/uploads";

const MiB = 1024 * 1024;

describe("admin analytics after a scripted series of uploads", () => {
  let bed: FilesTestbed;
  let url: string;
  let admin: TestUser;
  let uploader: TestUser;
  let from: string;
  let to: string;
  const counter = async (name: string, registry = bed.deps.registry) => {
    const metric = await registry.getSingleMetric(name)?.get();
    return metric?.values.reduce((sum, v) => sum + v.value, 0) ?? 0;
  };
  const before: Record<string, number> = {};
  const sizes = { clean1: 3000, clean2: 5 * MiB + 7, infected: eicar.length, oversize: 7 * MiB };

  beforeAll(async () => {
    bed = await startFilesTestbed({ CLAMAV_MAX_BYTES: String(6 * MiB), RATE_LIMIT_ADMIN_PER_MINUTE: "1000" });
    url = bed.server.url;
    admin = await createUser(bed.deps, { role: "admin" });
    uploader = await createUser(bed.deps);
    for (const name of ["uploads_started_total", "uploads_completed_total", "upload_bytes_total"])
      before[name] = await counter(name);
    before.virus_detections_total = await counter("virus_detections_total", bed.workerRegistry);

    from = new Date().toISOString();
    const clean1 = await uploadFile(url, uploader, "a.txt", randomBytesOf(sizes.clean1), { mimeType: "text/plain" });
    const clean2 = await uploadFile(url, uploader, "b.png", randomBytesOf(sizes.clean2), { mimeType: "image/png" });
    const infected = await uploadFile(url, uploader, "eicar.com", eicar, { mimeType: "application/x-msdownload" });
    const oversize = await uploadFile(url, uploader, "big.bin", randomBytesOf(sizes.oversize));
    const aborted = await initUpload(url, uploader, "aborted.bin", 1000);
    await api(url, "DELETE", `/files/${aborted.body.file.id}/upload`, { user: uploader });
    const liar = await initUpload(url, uploader, "liar.bin", 2000);
    const liarFile = await findOwnedFile(bed.deps.db, uploader.user.id, liar.body.file.id);
    const parts = [await putPartDirectly(bed.deps.storage, liarFile.s3Key, liarFile.uploadId!, 1, randomBytesOf(1500))];
    expect(
      (await api(url, "POST", `/files/${liar.body.file.id}/complete`, { user: uploader, body: { parts } })).status,
    ).toBe(400);
    for (const [id, status] of [
      [clean1.fileId, "ready"],
      [clean2.fileId, "ready"],
      [infected.fileId, "quarantined"],
      [oversize.fileId, "rejected"],
    ]) {
      await waitForStatus(url, uploader, id, [status]);
      await bed.deps.temporal.workflow.getHandle(`file-lifecycle-${id}`).result();
    }
    to = new Date(Date.now() + 1000).toISOString();
  });
  afterAll(() => bed.close());

  const completedBytes = sizes.clean1 + sizes.clean2 + sizes.infected + sizes.oversize;

  it("reports exactly the uploads, outcomes and scans the script produced", async () => {
    const res = await api(url, "GET", `/admin/analytics/uploads?from=${from}&to=${to}`, { user: admin });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      totalUploads: 6,
      successfulUploads: 4,
      failedUploads: 2,
      successRate: 4 / 6,
      averageFileSize: Math.round(completedBytes / 4),
      byMimeType: { "text/plain": 1, "image/png": 1, "application/x-msdownload": 1, "application/octet-stream": 3 },
      byStatus: { ready: 2, quarantined: 1, rejected: 1, failed: 2 },
      virusScans: { total: 4, clean: 2, infected: 1, failed: 1 },
    });
    expect(res.body.totalStorageUsed).toBeGreaterThanOrEqual(sizes.clean1 + sizes.clean2);
  });

  it("leaves the script out of a range that ends before it", async () => {
    const earlier = new Date(Date.parse(from) - 3600_000).toISOString();
    const inside = await api(url, "GET", `/admin/uploads/top-users?from=${earlier}&to=${from}&limit=100`, {
      user: admin,
    });
    expect(inside.body.users.map((u: { userId: string }) => u.userId)).not.toContain(uploader.user.id);
  });

  it("groups the failures by reason", async () => {
    const res = await api(url, "GET", `/admin/uploads/failures?from=${from}&to=${to}`, { user: admin });
    expect(res.body).toEqual({ aborted: 1, size_mismatch: 1 });
  });

  it("splits the outcomes by UTC day, with the success rate of each", async () => {
    const res = await api(url, "GET", `/admin/analytics/uploads/daily?from=${from}&to=${to}`, { user: admin });
    expect(res.status).toBe(200);
    const days: { day: string; initiated: number; completed: number; failed: number; successRate: number | null }[] =
      res.body.days;
    // The script ran within a second: one day, or two when it straddled midnight UTC.
    expect(days.map((d) => d.day)).toEqual([
      ...new Set([from.slice(0, 10), new Date(Date.parse(to) - 1).toISOString().slice(0, 10)]),
    ]);
    const sum = (key: "initiated" | "completed" | "failed") => days.reduce((total, d) => total + d[key], 0);
    expect({ initiated: sum("initiated"), completed: sum("completed"), failed: sum("failed") }).toEqual({
      initiated: 6,
      completed: 4,
      failed: 2,
    });
    if (days.length === 1) expect(days[0].successRate).toBe(4 / 6);
  });

  it("lists every day of the range, quiet days with zeros", async () => {
    const res = await api(
      url,
      "GET",
      "/admin/analytics/uploads/daily?from=2020-01-01T12:00:00Z&to=2020-01-04T00:00:00Z",
      { user: admin },
    );
    const quiet = { initiated: 0, completed: 0, failed: 0, successRate: null };
    expect(res.body).toEqual({ days: ["2020-01-01", "2020-01-02", "2020-01-03"].map((day) => ({ day, ...quiet })) });
  });

  it("tells admins where the Temporal Web UI is", async () => {
    const res = await api(url, "GET", "/admin/settings", { user: admin });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      temporalUiUrl: bed.deps.config.TEMPORAL_UI_URL.replace(/\/+$/, ""),
      temporalNamespace: bed.deps.config.TEMPORAL_NAMESPACE,
    });
  });

  it("ranks the uploader by completed bytes", async () => {
    const res = await api(url, "GET", `/admin/uploads/top-users?from=${from}&to=${to}&limit=5`, { user: admin });
    expect(res.body.users).toEqual([
      { userId: uploader.user.id, email: uploader.user.email, uploads: 4, bytes: completedBytes },
    ]);
  });

  it("moves the counters by exactly the script's numbers", async () => {
    expect((await counter("uploads_started_total")) - before.uploads_started_total).toBe(6);
    expect((await counter("uploads_completed_total")) - before.uploads_completed_total).toBe(4);
    expect((await counter("upload_bytes_total")) - before.upload_bytes_total).toBe(completedBytes);
    expect((await counter("virus_detections_total", bed.workerRegistry)) - before.virus_detections_total).toBe(1);
  });

  it("counts open uploads in the queue", async () => {
    const start = await api(url, "GET", "/admin/analytics/uploads/queue", { user: admin });
    await initUpload(url, uploader, "open.bin", 10);
    const after = await api(url, "GET", "/admin/analytics/uploads/queue", { user: admin });
    expect(after.body.pending - start.body.pending).toBe(1);
    expect(after.body).toMatchObject({ processing: expect.any(Number), scanning: expect.any(Number) });
  });

  it("adds user, file and byte counts to the health checks", async () => {
    const res = await api(url, "GET", "/admin/health", { user: admin });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: "ok",
      checks: { db: "up", redis: "up", s3: "up", clamav: "up", temporal: "up" },
      counts: { users: expect.any(Number), files: expect.any(Number), totalBytes: expect.any(Number) },
    });
  });

  it("answers 404 to a user who is not admin on every admin route", async () => {
    const routes: [string, string, unknown?][] = [
      ["GET", "/admin/health"],
      ["GET", "/admin/analytics/uploads"],
      ["GET", "/admin/analytics/uploads/queue"],
      ["GET", "/admin/analytics/uploads/daily"],
      ["GET", "/admin/settings"],
      ["GET", "/admin/uploads/failures"],
      ["GET", "/admin/uploads/top-users"],
      ["POST", "/admin/uploads/cleanup", { dryRun: true }],
      ["GET", "/admin/users"],
      ["PATCH", `/admin/users/${uploader.user.id}`, { role: "admin" }],
    ];
    for (const [method, path, body] of routes) {
      const res = await api(url, method, path, { user: uploader, body });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
  });

  it("answers bad ranges with 400 and the error body", async () => {
    for (const query of [
      "from=yesterday",
      `from=${to}&to=${from}`,
      "from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z",
      "limit=0",
      "daily:from=yesterday",
    ]) {
      const path = query.startsWith("limit")
        ? `/admin/uploads/top-users?${query}`
        : query.startsWith("daily:")
          ? `/admin/analytics/uploads/daily?${query.slice(6)}`
          : `/admin/analytics/uploads?${query}`;
      const res = await api(url, "GET", path, { user: admin });
      expect({ query, status: res.status, code: res.body.error?.code }).toEqual({
        query,
        status: 400,
        code: "validation_failed",
      });
    }
  });
});
