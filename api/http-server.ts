import http from "node:http";
import type Koa from "koa";
import type { Config } from "../lib/config";

type TimeoutSettings = Pick<
  Config,
  "HTTP_HEADERS_TIMEOUT_SECONDS" | "HTTP_REQUEST_TIMEOUT_SECONDS" | "HTTP_KEEP_ALIVE_TIMEOUT_SECONDS"
>;

/**
 * The API's HTTP server around a Koa app, with timeouts that free the sockets of clients which
 * send slowly or sit idle: 408 and close when the headers (HTTP_HEADERS_TIMEOUT_SECONDS) or the
 * whole request (HTTP_REQUEST_TIMEOUT_SECONDS) have not arrived in time, close after
 * HTTP_KEEP_ALIVE_TIMEOUT_SECONDS idle between requests. None of them limits how long a response
 * takes: slow share downloads are cut by their own stall check (docs/shares.md).
 */
export function createHttpServer<State, Context>(app: Koa<State, Context>, config: TimeoutSettings): http.Server {
  const requestTimeout = config.HTTP_REQUEST_TIMEOUT_SECONDS * 1000;
  return http.createServer(
    {
      requestTimeout,
      // Node refuses a headers timeout above the request timeout.
      headersTimeout: Math.min(config.HTTP_HEADERS_TIMEOUT_SECONDS * 1000, requestTimeout),
      keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS * 1000,
      // Node checks the first two only this often (30 s by default, which would add up to 30 s to each).
      connectionsCheckingInterval: 1000,
    },
    app.callback(),
  );
}
