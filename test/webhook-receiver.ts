import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedHook {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: { id: string; type: string; at: string; data: Record<string, unknown> };
}

export type ReceiverMode = "ok" | "fail" | "hang" | { redirectTo: string };

/** A real HTTP server on loopback that records every webhook POST and answers as `mode` says. */
export class WebhookReceiver {
  readonly received: ReceivedHook[] = [];
  mode: ReceiverMode = "ok";
  private server: http.Server | null = null;
  private readonly hanging = new Set<http.ServerResponse>();

  constructor(public port = 0) {}

  get url() {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async start(): Promise<this> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        let json: ReceivedHook["json"];
        try {
          json = JSON.parse(body);
        } catch {
          json = { id: "", type: "", at: "", data: {} };
        }
        this.received.push({ headers: req.headers, body, json });
        const mode = this.mode;
        if (mode === "hang") {
          this.hanging.add(res);
          return;
        }
        if (mode === "fail") res.writeHead(500).end("down for maintenance");
        else if (mode === "ok") res.writeHead(204).end();
        else res.writeHead(302, { Location: mode.redirectTo }).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
