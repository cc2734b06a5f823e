import "../lib/env-file";
import { loadConfigOrExit } from "../lib/config";
import { createLogger } from "../lib/logger";
import { createApp } from "./app";
import { buildDeps, closeDeps } from "./build-deps";
import { createHttpServer } from "./http-server";

const config = loadConfigOrExit();
const logger = createLogger({ level: config.LOG_LEVEL, name: "api" });
const deps = buildDeps(config, logger);
const server = createHttpServer(createApp(deps), config).listen(config.PORT, config.HOST, () => {
  logger.info({ host: config.HOST, port: config.PORT }, `API listening on http://${config.HOST}:${config.PORT}`);
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
