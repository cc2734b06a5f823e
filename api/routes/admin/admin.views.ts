import { z } from "zod";
import { timestamp, uuid } from "../../schemas";

const count = z.number().int();
const health = z.enum(["up", "down"]);

export const Checks = z.object({ db: health, redis: health, s3: health, clamav: health, temporal: health });

export const AdminHealth = z.object({
  status: z.enum(["ok", "degraded"]),
  checks: Checks,
  counts: z.object({ users: count, files: count, totalBytes: count }),
});

export const UploadAnalytics = z.object({
  from: timestamp,
  to: timestamp,
  totalUploads: count,
  successfulUploads: count,
  failedUploads: count,
  successRate: z.number().nullable().describe("completed / (completed + failed); null when there were neither."),
  averageFileSize: count.nullable(),
  totalStorageUsed: count,
  byMimeType: z.record(z.string(), count),
  byStatus: z.record(z.string(), count),
  virusScans: z.object({ total: count, clean: count, infected: count, failed: count }),
});

export const DailyUploads = z.object({
  days: z.array(
    z.object({
      day: z.string().meta({ description: "UTC day, YYYY-MM-DD" }),
      initiated: count,
      completed: count,
      failed: count,
      successRate: z
        .number()
        .nullable()
        .describe("completed / (completed + failed) that day; null when there were neither."),
    }),
  ),
});

export const AdminSettings = z.object({
  temporalUiUrl: z
    .string()
    .describe(
      "The Temporal Web UI (TEMPORAL_UI_URL): a file's workflow is at /namespaces/<ns>/workflows/file-lifecycle-<fileId>.",
    ),
  temporalNamespace: z.string(),
});

export const UploadQueue = z.object({
  pending: count.meta({ description: "Open uploads" }),
  scanning: count
    .nullable()
    .meta({ description: "Running FileLifecycle workflows; null when Temporal did not answer" }),
  processing: count.meta({ description: "Files whose scan has not finished" }),
});

export const UploadFailures = z.record(z.string(), count).meta({ description: "Failed uploads by reason" });

export const TopUsers = z.object({
  users: z.array(z.object({ userId: uuid, email: z.string(), uploads: count, bytes: count })),
});

const tally = z.object({ count, bytes: count, sample: z.array(z.string()) });

export const CleanupResult = z.object({
  workflowId: z.string(),
  dryRun: z.boolean(),
  finished: z.boolean(),
  report: z
    .object({ dryRun: z.boolean(), staleUploads: tally, orphanMultipartUploads: tally, restartedLifecycles: tally })
    .nullable()
    .describe("null while the run goes on (202)."),
});
