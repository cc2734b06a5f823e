import { type Client, WorkflowNotFoundError } from "@temporalio/client";
import { DefaultLogger, Runtime } from "@temporalio/worker";

let installed = false;

/** The SDK's runtime with warnings only, installed once per test process before any connection. */
export function installTestRuntime(): void {
  if (installed) return;
  installed = true;
  try {
    Runtime.install({ logger: new DefaultLogger("WARN") });
  } catch {
    // Another test file in this process installed it already.
  }
}

/**
 * Terminates every workflow still running on a test's own task queue. A test's worker goes away
 * with the test; what it started must not be left running in the shared dev server, where nothing
 * will ever pick it up (and housekeeping in other runs would trip over it).
 */
export async function endWorkflowsOn(client: Client, taskQueue: string): Promise<number> {
  let ended = 0;
  const query = `TaskQueue = '${taskQueue.replace(/'/g, "")}' AND ExecutionStatus = 'Running'`;
  for await (const execution of client.workflow.list({ query })) {
    try {
      await client.workflow
        .getHandle(execution.workflowId, execution.runId)
        .terminate("the test that started it ended");
      ended += 1;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }
  return ended;
}
