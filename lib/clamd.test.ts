import net from "node:net";
import { ClamdClient, type ClamdOptions, ClamdSizeLimitError, ClamdUnavailableError, parseScanReply } from "./clamd";

describe("parseScanReply", () => {
  it("reads a clean verdict", () => {
    expect(parseScanReply("stream: OK")).toEqual({ outcome: "clean" });
  });

  it("reads the signature of an unofficial database", () => {
    expect(parseScanReply("stream: Eicar-Test-Signature.UNOFFICIAL FOUND")).toEqual({
      outcome: "infected",
      signature: "Eicar-Test-Signature.UNOFFICIAL",
    });
  });

  it("tells the size limit apart from other errors", () => {
    expect(() => parseScanReply("INSTREAM size limit exceeded. ERROR")).toThrow(ClamdSizeLimitError);
    expect(() => parseScanReply("COMMAND READ TIMED OUT")).toThrow(ClamdUnavailableError);
    expect(() => parseScanReply("")).toThrow(ClamdUnavailableError);
  });
});

/**
 * A stand-in for clamd's side of INSTREAM that records the chunks it is sent and answers "OK" at
 * the first zero-length chunk, as clamd does; with `limitAfter` it answers as clamd past its
 * StreamMaxLength once it holds that many chunks. Only the framing is under test here; the real
 * clamd is in clamd.int.test.ts.
 */
async function fakeClamd(
  options: { limitAfter?: number; verdictAfterMs?: number; client?: Partial<ClamdOptions> } = {},
) {
  const chunks: Buffer[] = [];
  let endMarkers = 0;
  const timers: NodeJS.Timeout[] = [];
  let answered!: () => void;
  const answer = new Promise<void>((resolve) => (answered = resolve));
  const server = net.createServer((socket) => {
    let pending = Buffer.alloc(0);
    let command = false;
    const reply = (text: string) => socket.end(`${text}\0`, () => answered());
    socket.on("data", (data: Buffer) => {
      pending = Buffer.concat([pending, data]);
      if (!command) {
        const end = pending.indexOf(0);
        if (end < 0) return;
        command = true;
        pending = pending.subarray(end + 1);
      }
      while (pending.length >= 4) {
        const length = pending.readUInt32BE(0);
        if (length === 0) {
          endMarkers += 1;
          pending = pending.subarray(4);
          // A busy clamd scans the whole stream before it says anything.
          timers.push(setTimeout(() => reply("stream: OK"), options.verdictAfterMs ?? 0));
          return;
        }
        if (pending.length < 4 + length) return;
        chunks.push(pending.subarray(4, 4 + length));
        pending = pending.subarray(4 + length);
        if (chunks.length === options.limitAfter) return reply("INSTREAM size limit exceeded. ERROR");
      }
    });
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    client: new ClamdClient({ host: "127.0.0.1", port, timeoutMs: 2000, ...options.client }),
    received: () => ({ chunks: chunks.map((chunk) => chunk.toString()), endMarkers }),
    answer,
    close: () => {
      timers.forEach(clearTimeout);
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("ClamdClient INSTREAM framing", () => {
  it("skips empty chunks: a zero length would end the stream before the rest is scanned", async () => {
    const clamd = await fakeClamd();
    let sent = 0;
    try {
      async function* source() {
        yield* [Buffer.from("head"), Buffer.alloc(0), Buffer.from("tail")];
      }
      expect(await clamd.client.scan(source(), (bytes) => (sent += bytes))).toEqual({ outcome: "clean" });
      expect(clamd.received()).toEqual({ chunks: ["head", "tail"], endMarkers: 1 });
      expect(sent).toBe(8);
    } finally {
      await clamd.close();
    }
  });

  it("reports as sent only the bytes it wrote, not a chunk read after clamd answered", async () => {
    const clamd = await fakeClamd({ limitAfter: 1 });
    let sent = 0;
    async function* source() {
      yield Buffer.from("written");
      await clamd.answer;
      await new Promise((resolve) => setTimeout(resolve, 50));
      yield Buffer.from("never sent");
    }
    try {
      await expect(clamd.client.scan(source(), (bytes) => (sent += bytes))).rejects.toBeInstanceOf(ClamdSizeLimitError);
      expect(clamd.received().chunks).toEqual(["written"]);
      expect(sent).toBe("written".length);
    } finally {
      await clamd.close();
    }
  });
});

describe("ClamdClient verdict wait", () => {
  const MiB = 1024 * 1024;
  async function* fourMiB() {
    for (let i = 0; i < 4; i++) yield Buffer.alloc(MiB, i);
  }

  it("waits for a slow verdict longer the more bytes it sent, not only the idle timeout", async () => {
    // Idle timeout 300 ms; clamd answers 900 ms after the last byte; 4 MiB × 250 ms/MiB allows 1300 ms.
    const clamd = await fakeClamd({ verdictAfterMs: 900, client: { timeoutMs: 300, verdictMsPerMiB: 250 } });
    try {
      expect(clamd.client.verdictWaitMs(4 * MiB)).toBe(1300);
      expect(await clamd.client.scan(fourMiB())).toEqual({ outcome: "clean" });
      expect(clamd.received().endMarkers).toBe(1);
    } finally {
      await clamd.close();
    }
  });

  it("gives up when the verdict is later than the wait its bytes earn", async () => {
    const clamd = await fakeClamd({ verdictAfterMs: 2500, client: { timeoutMs: 300, verdictMsPerMiB: 100 } });
    try {
      const scan = clamd.client.scan(fourMiB());
      await expect(scan).rejects.toBeInstanceOf(ClamdUnavailableError);
      await expect(scan).rejects.toThrow(/no verdict within 700 ms/);
    } finally {
      await clamd.close();
    }
  });
});
