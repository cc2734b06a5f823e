import type { AddressInfo } from "node:net";
import type { DestinationStream } from "pino";
import { createApp } from "../api/app";
import { apiPathOf } from "../api/route-table";
import { buildDeps, closeDeps } from "../api/build-deps";
import type { AppDeps } from "../api/deps";
import { getConfig, resetConfig } from "../lib/config";
import { createLogger } from "../lib/logger";

/**
 * The API's real dependencies, configured from the test environment, with the schema migrated.
 * `log` sends the API's log lines to a destination the test reads (at the level given).
 */
export async function createTestDeps(log?: { level: string; destination: DestinationStream }): Promise<AppDeps> {
  resetConfig();
  const config = getConfig();
  const logger = log
    ? createLogger({ level: log.level, name: "api" }, log.destination)
    : createLogger({ level: config.LOG_LEVEL, name: "test" });
  const deps = buildDeps(config, logger);
  await deps.db.migrate.latest();
  return deps;
}

export interface TestServer {
  /** Where the API answers: the server's root plus API_URL's path (e.g. http://127.0.0.1:41234/api). */
  url: string;
  /** The server's root: /health, /metrics and the web client. */
  origin: string;
  close(): Promise<void>;
}

/** Serves the real app on an ephemeral loopback port. */
export async function startTestServer(deps: AppDeps): Promise<TestServer> {
  const server = createApp(deps).listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}${apiPathOf(deps.config.API_URL)}`,
    origin,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export { closeDeps };
