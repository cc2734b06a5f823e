import { randomUUID } from "node:crypto";
import { pendingDeletionKeys } from "../../../db/commands/files/object-deletions";
import { File, User } from "../../../db/models";
import { fileLifecycleId, startFileLifecycle } from "../../../lib/file-lifecycle";
import { UPLOAD_HOUSEKEEPING_WORKFLOW, uploadHousekeepingInput } from "../../../lib/housekeeping";
import { checkInvariants } from "../../../lib/invariants";
import { fileKey } from "../../../lib/object-keys";
import { executeWorkflow } from "../../../lib/workflow-start";
import { createUser } from "../../../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../../../test/files-testbed";
import { startAppWithStorageAway } from "../../../test/storage-away";
import { api, randomBytesOf, uploadFile, waitForStatus } from "../../../test/uploads";

describe("faults that must not lose or leak a file", () => {
  let bed: FilesTestbed;
  beforeAll(async () => {
    bed = await startFilesTestbed();
  });
  afterAll(() => bed.close());

  it("ends a file whose object is gone as failed with a reason, bytes refunded, instead of retrying forever", async () => {
    const user = await createUser(bed.deps);
    const id = randomUUID();
    await File.query(bed.deps.db).insert({
      id,
      ownerId: user.user.id,
      name: "vanished.bin",
      sizeBytes: 1234,
      s3Key: fileKey({ ownerId: user.user.id, id }),
      status: "processing",
    });
    await User.query(bed.deps.db).patch({ usedBytes: 1234 }).where({ id: user.user.id });

    await startFileLifecycle(bed.deps.temporal, bed.deps.config, id);
    expect(await bed.deps.temporal.workflow.getHandle(fileLifecycleId(id)).result()).toBe("failed");
    const file = await File.query(bed.deps.db).findById(id);
    expect(file).toMatchObject({ status: "failed", statusReason: expect.stringMatching(/object_missing/) });
    expect((await User.query(bed.deps.db).findById(user.user.id))!.usedBytes).toBe(0);
    expect((await api(bed.server.url, "GET", `/files/${id}/download`, { user })).status).not.toBe(302);
  });

  it("answers 204 to a permanent delete while S3 is away, and removes the object once it is back", async () => {
    const user = await createUser(bed.deps);
    const { fileId } = await uploadFile(bed.server.url, user, "doomed.bin", randomBytesOf(4096));
    await waitForStatus(bed.server.url, user, fileId, ["ready"]);
    const key = fileKey({ ownerId: user.user.id, id: fileId });

    const away = await startAppWithStorageAway(bed.deps);
    try {
      const deleted = await api(away.url, "DELETE", `/files/${fileId}?permanent=true`, { user });
      expect(deleted.status).toBe(204);
    } finally {
      await away.close();
    }
    expect(await File.query(bed.deps.db).findById(fileId)).toBeUndefined();
    expect((await User.query(bed.deps.db).findById(user.user.id))!.usedBytes).toBe(0);
    // The object outlived the row, but is written down to go: not an orphan.
    expect(await bed.deps.storage.objectSize(key)).toBe(4096);
    expect(await pendingDeletionKeys(bed.deps.db, [key])).toEqual(new Set([key]));
    const invariants = { staleUploadMs: 3_600_000, graceMs: 0, ownerIds: [user.user.id] };
    const pendingDeletions = (keys: string[]) => pendingDeletionKeys(bed.deps.db, keys);
    expect(await checkInvariants(bed.deps, { ...invariants, pendingDeletions })).toEqual([]);

    // Storage is back: the housekeeping schedule finishes the deletion.
    await executeWorkflow(bed.deps.temporal, UPLOAD_HOUSEKEEPING_WORKFLOW, {
      taskQueue: bed.taskQueue,
      workflowId: `test-upload-housekeeping-${randomUUID()}`,
      args: [uploadHousekeepingInput(bed.deps.config)],
    });
    expect(await bed.deps.storage.objectSize(key)).toBeNull();
    expect(await pendingDeletionKeys(bed.deps.db, [key])).toEqual(new Set());
    expect(await checkInvariants(bed.deps, invariants)).toEqual([]);
  });

  it("answers 204 to aborting an upload while S3 is away; the multipart upload is aborted later", async () => {
    const user = await createUser(bed.deps);
    const init = await api(bed.server.url, "POST", "/files/uploads", {
      user,
      body: { name: "open.bin", sizeBytes: 10 },
    });
    expect(init.status).toBe(201);
    const fileId = init.body.file.id;
    const away = await startAppWithStorageAway(bed.deps);
    try {
      expect((await api(away.url, "DELETE", `/files/${fileId}/upload`, { user })).status).toBe(204);
    } finally {
      await away.close();
    }
    expect((await File.query(bed.deps.db).findById(fileId))!.status).toBe("failed");
    expect((await User.query(bed.deps.db).findById(user.user.id))!.reservedBytes).toBe(0);
    const key = fileKey({ ownerId: user.user.id, id: fileId });
    expect(await pendingDeletionKeys(bed.deps.db, [key])).toEqual(new Set([key]));
  });

  it("ends, when the test's testbed closes, every workflow it left running on its task queue", async () => {
    const other = await startFilesTestbed({}, { worker: false });
    const id = randomUUID();
    // No worker polls this queue: the run would wait there forever.
    await startFileLifecycle(other.deps.temporal, other.deps.config, id);
    // Visibility lags a moment behind a start: wait until a listing sees the run, as close() lists.
    const query = `TaskQueue = '${other.taskQueue}' AND ExecutionStatus = 'Running'`;
    const listed = async () => {
      const ids: string[] = [];
      for await (const execution of bed.deps.temporal.workflow.list({ query })) ids.push(execution.workflowId);
      return ids;
    };
    for (let i = 0; !(await listed()).includes(fileLifecycleId(id)) && i < 100; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    await other.close();
    const description = await bed.deps.temporal.workflow.getHandle(fileLifecycleId(id)).describe();
    expect(description.status.name).toBe("TERMINATED");
  });
});
