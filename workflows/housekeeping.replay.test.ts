import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { historyFromJSON } from "@temporalio/common/lib/proto-utils";
import { DefaultLogger, Runtime, Worker } from "@temporalio/worker";

const historiesDir = path.resolve(__dirname, "..", "test", "histories");

/**
 * Histories recorded from real runs of the housekeeping workflows (a run continued as new, a run
 * whose worker was killed mid-purge, an admin-triggered cleanup): a change to the workflows that
 * would break the runs in flight in production fails here.
 */
describe("housekeeping workflows replay", () => {
  beforeAll(() => {
    try {
      Runtime.install({ logger: new DefaultLogger("WARN") });
    } catch {
      // Already installed in this process.
    }
  });

  it("replays every recorded history without a determinism error", async () => {
    const files = (await readdir(historiesDir)).filter((name) => /^(upload-housekeeping|nightly-maintenance)-/.test(name));
    expect(files.length).toBeGreaterThanOrEqual(4);
    const histories = await Promise.all(
      files.map(async (name) => ({
        workflowId: name,
        history: historyFromJSON(JSON.parse(await readFile(path.join(historiesDir, name), "utf8"))),
      })),
    );
    const results = [];
    for await (const result of Worker.runReplayHistories({ workflowsPath: require.resolve("./index") }, histories)) {
      results.push({ workflowId: result.workflowId, error: result.error?.message });
    }
    expect(results).toEqual(files.map((workflowId) => ({ workflowId, error: undefined })));
  }, 120_000);
});
