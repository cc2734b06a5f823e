import { randomUUID } from "node:crypto";
import { ScheduleOverlapPolicy } from "@temporalio/client";
import { parseConfig } from "../lib/config";
import {
  NIGHTLY_MAINTENANCE_WORKFLOW,
  UPLOAD_HOUSEKEEPING_WORKFLOW,
  type UploadHousekeepingReport,
} from "../lib/housekeeping";
import { createLogger } from "../lib/logger";
import { startFilesTestbed, type FilesTestbed } from "../test/files-testbed";
import { housekeepingTestSettings, waitUntil } from "../test/housekeeping";
import { housekeepingSchedules } from "./housekeeping-schedules";
import { ensureSchedules, type ScheduleDefinition } from "./schedules";

describe("the housekeeping schedules", () => {
  let bed: FilesTestbed;
  // Schedule ids are global to the namespace: this test uses ids of its own and deletes them.
  const prefix = `test-${randomUUID()}-`;
  const logger = createLogger({ level: "silent", name: "test" });
  const ours = (config: FilesTestbed["deps"]["config"]): ScheduleDefinition[] =>
    housekeepingSchedules(config).map((definition) => ({ ...definition, id: `${prefix}${definition.id}` }));

  beforeAll(async () => {
    bed = await startFilesTestbed(housekeepingTestSettings);
  });
  afterAll(async () => {
    for (const definition of ours(bed.deps.config)) {
      await bed.deps.temporal.schedule
        .getHandle(definition.id)
        .delete()
        .catch(() => undefined);
    }
    await bed.close();
  });

  it("are created, then updated in place, with overlap SKIP, and can be triggered by hand", async () => {
    const client = bed.deps.temporal;
    const [upload, nightly] = ours(bed.deps.config);
    await ensureSchedules(client, bed.taskQueue, ours(bed.deps.config), logger);

    const uploadSchedule = await client.schedule.getHandle(upload.id).describe();
    expect(uploadSchedule.spec.intervals).toEqual([expect.objectContaining({ every: 600_000 })]);
    expect(uploadSchedule.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
    expect(uploadSchedule.action).toMatchObject({
      workflowType: UPLOAD_HOUSEKEEPING_WORKFLOW,
      taskQueue: bed.taskQueue,
      args: upload.args,
    });
    const nightlySchedule = await client.schedule.getHandle(nightly.id).describe();
    expect(nightlySchedule.spec.calendars).toEqual([
      expect.objectContaining({ hour: [{ start: 3, end: 3, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] }),
    ]);
    expect(nightlySchedule.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
    expect(nightlySchedule.action).toMatchObject({ workflowType: NIGHTLY_MAINTENANCE_WORKFLOW, args: nightly.args });

    // A worker started with other settings brings the existing schedules up to date.
    const changed = parseConfig({
      ...process.env,
      UPLOAD_HOUSEKEEPING_INTERVAL: "5m",
      NIGHTLY_MAINTENANCE_CRON: "30 4 * * *",
    });
    await ensureSchedules(client, bed.taskQueue, ours(changed), logger);
    expect((await client.schedule.getHandle(upload.id).describe()).spec.intervals).toEqual([
      expect.objectContaining({ every: 300_000 }),
    ]);
    expect((await client.schedule.getHandle(nightly.id).describe()).spec.calendars).toEqual([
      expect.objectContaining({ hour: [{ start: 4, end: 4, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] }),
    ]);

    // "Trigger" in the Web UI does this: the run starts now and finishes on the worker.
    await client.schedule.getHandle(upload.id).trigger();
    const described = await waitUntil(
      () => client.schedule.getHandle(upload.id).describe(),
      (description) => description.info.recentActions.length > 0,
    );
    const started = described.info.recentActions[0].action.workflow;
    const report = (await client.workflow
      .getHandle(started.workflowId, started.firstExecutionRunId)
      .result()) as UploadHousekeepingReport;
    expect(report.dryRun).toBe(false);
  });
});
