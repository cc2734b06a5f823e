import net from "node:net";

export interface StallingProxy {
  /** http://127.0.0.1:<port>, to use as an S3 endpoint. */
  url: string;
  /**
   * The next connection's answer stops after this many bytes and the connection stays open, silent,
   * as a server or network that hangs mid-response would. Later connections pass untouched.
   */
  stallNextAfter(bytes: number): void;
  /** Connections that stalled and that the client has since closed. */
  stalledClosedByClient(): number;
  /** Connections that stalled so far. */
  stalled(): number;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of a real service that can make one connection hang: a fault, like stopping
 * a service, not a stand-in for it.
 */
export async function startStallingProxy(target: { host: string; port: number }): Promise<StallingProxy> {
  let stallAfter: number | null = null;
  let stalled = 0;
  let closedByClient = 0;
  let closing = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target);
    sockets.add(client).add(upstream);
    const limit = stallAfter;
    stallAfter = null;
    let forwarded = 0;
    let stalling = false;
    client.pipe(upstream);
    upstream.on("data", (data: Buffer) => {
      if (stalling) return;
      if (limit !== null && forwarded + data.length >= limit) {
        client.write(data.subarray(0, limit - forwarded));
        stalling = true;
        stalled += 1;
        client.once("close", () => closing || (closedByClient += 1));
        return;
      }
      forwarded += data.length;
      client.write(data);
    });
    upstream.on("end", () => stalling || client.end());
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", drop);
    upstream.on("error", drop);
    client.on("close", drop);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stallNextAfter: (bytes) => (stallAfter = bytes),
    stalledClosedByClient: () => closedByClient,
    stalled: () => stalled,
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
