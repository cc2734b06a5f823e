import "../lib/env-file";
import { loadConfigOrExit } from "../lib/config";
import { createLogger } from "../lib/logger";
import { createApp } from "./app";
import { buildDeps, closeDeps } from "./build-deps";

const config = loadConfigOrExit();
const logger = createLogger({ level: config.LOG_LEVEL, name: "api" });
const deps = buildDeps(config, logger);
const server = createApp(deps).listen(config.PORT, () => {
  logger.info({ port: config.PORT }, `API listening on http://127.0.0.1:${config.PORT}`);
});

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "API stopping");
  // Let requests in flight finish, then close the connections they used.
  await new Promise((resolve) => server.close(resolve));
  await closeDeps(deps);
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
