import { fileLifecycleId } from "../lib/file-lifecycle";
import { createUser } from "../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../test/files-testbed";
import { eicar } from "../test/samples";
import { randomBytesOf, uploadFile, waitForStatus } from "../test/uploads";

const MiB = 1024 * 1024;

describe("small files are scanned inside the workflow task", () => {
  let bed: FilesTestbed;
  beforeAll(async () => {
    bed = await startFilesTestbed({ SCAN_INLINE_MAX_BYTES: String(MiB) });
  });
  afterAll(() => bed.close());

  /** The finished run's history: the scan as a local activity (a marker) or as activity tasks. */
  const scanOf = async (fileId: string) => {
    const handle = bed.deps.temporal.workflow.getHandle(fileLifecycleId(fileId));
    const outcome = await handle.result();
    const events = (await handle.fetchHistory()).events ?? [];
    return {
      outcome,
      localActivities: events.filter(
        (event) => event.markerRecordedEventAttributes?.markerName === "core_local_activity",
      ).length,
      activities: events.flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []),
    };
  };

  it("scans a file up to SCAN_INLINE_MAX_BYTES as a local activity and a larger one as an activity", async () => {
    const user = await createUser(bed.deps);
    const small = await uploadFile(bed.server.url, user, "small.bin", randomBytesOf(64 * 1024));
    const limit = await uploadFile(bed.server.url, user, "limit.bin", randomBytesOf(MiB));
    const large = await uploadFile(bed.server.url, user, "large.bin", randomBytesOf(MiB + 1));
    for (const { fileId } of [small, limit, large]) await waitForStatus(bed.server.url, user, fileId, ["ready"]);

    for (const { fileId } of [small, limit]) {
      expect(await scanOf(fileId)).toEqual({ outcome: "ready", localActivities: 1, activities: [] });
    }
    expect(await scanOf(large.fileId)).toEqual({
      outcome: "ready",
      localActivities: 0,
      activities: ["scanAndMarkReady"],
    });
  });

  it("quarantines a small infected file scanned inline", async () => {
    const user = await createUser(bed.deps);
    const { fileId } = await uploadFile(bed.server.url, user, "eicar.com", eicar);
    await waitForStatus(bed.server.url, user, fileId, ["quarantined"]);
    const scan = await scanOf(fileId);
    expect(scan).toMatchObject({ outcome: "quarantined", localActivities: 1 });
    expect(scan.activities).not.toContain("scanAndMarkReady");
  });
});
