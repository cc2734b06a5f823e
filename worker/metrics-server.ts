import http from "node:http";
import type { Registry } from "prom-client";
import type { Logger } from "../lib/logger";

/**
 * One scrape target for the worker: our prom-client registry followed by the Temporal SDK's own
 * exporter, which listens on a loopback port of its own.
 */
export function startMetricsServer(options: {
  registry: Registry;
  /** 127.0.0.1 locally; 0.0.0.0 in a container so Prometheus on the network can scrape it. */
  host: string;
  port: number;
  sdkMetricsUrl: string;
  logger: Logger;
}): http.Server {
  const { registry, host, port, sdkMetricsUrl, logger } = options;
  const server = http.createServer((req, res) => {
    if (req.url !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    void collect(registry, sdkMetricsUrl).then(
      (body) => res.writeHead(200, { "Content-Type": registry.contentType }).end(body),
      (error: unknown) => {
        logger.error({ err: error }, "metrics collection failed");
        res.writeHead(500).end();
      },
    );
  });
  server.listen(port, host);
  return server;
}

async function collect(registry: Registry, sdkMetricsUrl: string): Promise<string> {
  const ours = await registry.metrics();
  const sdk = await fetch(sdkMetricsUrl, { signal: AbortSignal.timeout(2000) })
    .then((res) => (res.ok ? res.text() : ""))
    .catch(() => "");
  return `${ours}\n${sdk}`;
}
