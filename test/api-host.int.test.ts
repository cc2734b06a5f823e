import { type ChildProcess, spawn } from "node:child_process";
import { connect, createServer, type AddressInfo } from "node:net";
import path from "node:path";

const serverJs = path.resolve(__dirname, "..", "dist", "api", "server.js");

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => probe.once("listening", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Starts the built API with the test environment (no .env in reach) and waits until it listens. */
async function startApi(port: number, host?: string): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), LOG_LEVEL: "info" };
  delete env.HOST;
  if (host) env.HOST = host;
  const child = spawn(process.execPath, [serverJs], { cwd: "/", env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`API did not start: ${output}`)), 20_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("API listening")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", read);
    child.once("exit", (code) => reject(new Error(`API exited with ${code}: ${output}`)));
  });
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

describe("dist/api/server.js listening address", () => {
  it("listens on 127.0.0.1 only when HOST is not set: another address of the machine is refused", async () => {
    const port = await freePort();
    const api = await startApi(port);
    try {
      expect(await accepts("127.0.0.1", port)).toBe(true);
      // 127.0.0.2 is this machine too, but not the address the API bound.
      expect(await accepts("127.0.0.2", port)).toBe(false);
    } finally {
      await stop(api);
    }
  });

  it("listens on every interface with HOST=0.0.0.0 (containers)", async () => {
    const port = await freePort();
    const api = await startApi(port, "0.0.0.0");
    try {
      expect(await accepts("127.0.0.2", port)).toBe(true);
    } finally {
      await stop(api);
    }
  });
});
