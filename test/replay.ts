import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { historyFromJSON } from "@temporalio/common/lib/proto-utils";
import { DefaultLogger, Runtime, Worker } from "@temporalio/worker";

const historiesDir = path.resolve(__dirname, "histories");

/**
 * Replays every recorded history in test/histories whose file name matches `pattern` through the
 * current workflows; returns each file's name with its determinism error, if any.
 */
export async function replayRecordedHistories(pattern: RegExp) {
  try {
    Runtime.install({ logger: new DefaultLogger("WARN") });
  } catch {
    // Already installed in this process.
  }
  const files = (await readdir(historiesDir)).filter((name) => pattern.test(name));
  const histories = await Promise.all(
    files.map(async (name) => ({
      workflowId: name,
      history: historyFromJSON(JSON.parse(await readFile(path.join(historiesDir, name), "utf8"))),
    })),
  );
  const results: { workflowId: string; error: string | undefined }[] = [];
  const workflowsPath = require.resolve("../workflows");
  for await (const result of Worker.runReplayHistories({ workflowsPath }, histories)) {
    results.push({ workflowId: result.workflowId, error: result.error?.message });
  }
  return { files, results };
}
