import type { AddressInfo } from "node:net";
import { createApp } from "../api/app";
import { buildDeps, closeDeps } from "../api/build-deps";
import type { AppDeps } from "../api/deps";
import { getConfig, resetConfig } from "../lib/config";
import { createLogger } from "../lib/logger";

/** The API's real dependencies, configured from the test environment, with the schema migrated. */
export async function createTestDeps(): Promise<AppDeps> {
  resetConfig();
  const config = getConfig();
  const deps = buildDeps(config, createLogger({ level: config.LOG_LEVEL, name: "test" }));
  await deps.db.migrate.latest();
  return deps;
}

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the real app on an ephemeral loopback port. */
export async function startTestServer(deps: AppDeps): Promise<TestServer> {
  const server = createApp(deps).listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export { closeDeps };
