import { Client, Connection } from "@temporalio/client";

export interface TemporalOptions {
  address: string;
  namespace: string;
}

/**
 * A client whose connection is opened on first use, so the API starts (and reports temporal down in
 * /health) while the Temporal server is away.
 */
export function createTemporalClient(options: TemporalOptions): Client {
  const connection = Connection.lazy({ address: options.address });
  return new Client({ connection, namespace: options.namespace });
}

/** Resolves when the Temporal frontend answers within `timeoutMs`. */
export async function checkTemporal(client: Client, timeoutMs: number): Promise<void> {
  await client.connection.withDeadline(Date.now() + timeoutMs, () => client.workflowService.getSystemInfo({}));
}
