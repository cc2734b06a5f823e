import { randomUUID } from "node:crypto";
import http from "node:http";
import type { Duplex } from "node:stream";
import type Koa from "koa";
import type { Config } from "../lib/config";
import { securityHeaderValues } from "./middleware/security-headers";

type ServerSettings = Pick<
  Config,
  "HTTP_HEADERS_TIMEOUT_SECONDS" | "HTTP_REQUEST_TIMEOUT_SECONDS" | "HTTP_KEEP_ALIVE_TIMEOUT_SECONDS" | "APP_URL"
>;

/**
 * The API's HTTP server around a Koa app, with timeouts that free the sockets of clients which
 * send slowly or sit idle: 408 and close when the headers (HTTP_HEADERS_TIMEOUT_SECONDS) or the
 * whole request (HTTP_REQUEST_TIMEOUT_SECONDS) have not arrived in time, close after
 * HTTP_KEEP_ALIVE_TIMEOUT_SECONDS idle between requests. None of them limits how long a response
 * takes: slow share downloads are cut by their own stall check (docs/shares.md).
 */
export function createHttpServer<State, Context>(app: Koa<State, Context>, config: ServerSettings): http.Server {
  const requestTimeout = config.HTTP_REQUEST_TIMEOUT_SECONDS * 1000;
  const server = http.createServer(
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
  const headers = Object.entries(securityHeaderValues(config.APP_URL, true)).map(
    ([name, value]) => `${name}: ${value}`,
  );
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket, headers));
  return server;
}

/** What Node's parser refuses before the app sees the request, as status and SPEC §6 error code. */
function refusalOf(error: NodeJS.ErrnoException): [number, string, string] {
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW":
      return [431, "headers_too_large", "The request line or headers are too large."];
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return [408, "request_timeout", "The request did not arrive in time."];
    default:
      return [400, "bad_request", "The request is not valid HTTP."];
  }
}

/**
 * A request Node's HTTP parser refuses (a URL or headers past its 16 KiB limit, malformed HTTP, a
 * timeout) never reaches Koa: without this it would get a bare status line. It gets the SPEC §6
 * error body like every other refusal, then the connection closes.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, securityHeaders: string[]): void {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code, message] = refusalOf(error);
  const requestId = randomUUID();
  const body = JSON.stringify({ error: { code, message }, requestId });
  socket.end(
    [
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}`,
      "Content-Type: application/json; charset=utf-8",
      `Content-Length: ${Buffer.byteLength(body)}`,
      ...securityHeaders,
      "Cache-Control: no-store",
      `X-Request-Id: ${requestId}`,
      "Connection: close",
      "",
      body,
    ].join("\r\n"),
  );
}
