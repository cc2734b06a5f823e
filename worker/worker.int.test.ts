import { randomUUID } from "node:crypto";
import { Client, Connection } from "@temporalio/client";
import { NativeConnection, Worker } from "@temporalio/worker";
import * as activities from "../test/greeting-activities";
import { installTestRuntime } from "../test/temporal";

beforeAll(installTestRuntime);

describe("a worker against the Temporal dev server", () => {
  it("runs a workflow to completion", async () => {
    const address = process.env.TEMPORAL_ADDRESS ?? "127.0.0.1:7233";
    const taskQueue = `test-${randomUUID()}`;
    const connection = await NativeConnection.connect({ address });
    const clientConnection = await Connection.connect({ address });
    try {
      const worker = await Worker.create({
        connection,
        taskQueue,
        workflowsPath: require.resolve("../test/workflows/greeting"),
        activities,
      });
      const client = new Client({ connection: clientConnection });
      const result = await worker.runUntil(
        client.workflow.execute("greeting", { taskQueue, workflowId: `greeting-${taskQueue}`, args: ["Coffer"] }),
      );
      expect(result).toBe("Hello, Coffer!");
    } finally {
      await clientConnection.close();
      await connection.close();
    }
  });
});
