import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { historyFromJSON } from "@temporalio/common/lib/proto-utils";
import { DefaultLogger, Runtime, Worker } from "@temporalio/worker";

const historiesDir = path.resolve(__dirname, "..", "test", "histories");

/**
 * Histories recorded from real runs (clean image with thumbnail, infected, rejected): a change to
 * the workflow that would break the runs in flight in production fails here.
 */
describe("FileLifecycle replay", () => {
  beforeAll(() => {
    try {
      Runtime.install({ logger: new DefaultLogger("WARN") });
    } catch {
      // Already installed in this process.
    }
  });

  it("replays every recorded history without a determinism error", async () => {
    const files = (await readdir(historiesDir)).filter((name) => name.startsWith("file-lifecycle-"));
    expect(files.length).toBeGreaterThanOrEqual(3);
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
