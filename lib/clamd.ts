import net from "node:net";

/** What clamd said about one stream. */
export type ScanResult = { outcome: "clean" } | { outcome: "infected"; signature: string };

/** clamd could not be reached, timed out or answered nonsense: worth retrying later. */
export class ClamdUnavailableError extends Error {
  override name = "ClamdUnavailableError";
}

/** The stream is larger than clamd's StreamMaxLength: retrying will not help. */
export class ClamdSizeLimitError extends Error {
  override name = "ClamdSizeLimitError";
}

export interface ClamdOptions {
  host: string;
  port: number;
  /**
   * Milliseconds without any socket activity before giving up while bytes should flow (connect,
   * commands, streaming); once the whole stream is sent, the base of the wait for the verdict.
   */
  timeoutMs: number;
  /**
   * Further milliseconds the verdict may take per MiB sent: clamd scans only once it holds the
   * whole stream, so a large file on a busy machine answers later than a small one (CLAMAV_VERDICT_MS_PER_MIB).
   */
  verdictMsPerMiB?: number;
  /**
   * clamd's StreamMaxLength. Past it clamd replies and closes while we are still writing, and the
   * connection reset that follows can swallow its reply; stopping at the same limit ourselves makes
   * the outcome certain.
   */
  maxStreamBytes?: number;
}

const END_OF_STREAM = Buffer.alloc(4);
const MiB = 1024 * 1024;

/** The reply, or ClamdUnavailableError (and the socket closed) when it takes longer than `ms`. */
function withinDeadline(reply: Promise<string>, ms: number, socket: net.Socket): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      socket.destroy();
      reject(new ClamdUnavailableError(`clamd gave no verdict within ${ms} ms of the end of the stream`));
    }, ms);
  });
  return Promise.race([reply, late]).finally(() => clearTimeout(timer));
}

/** Reads clamd's reply to one z-command: everything up to the NUL terminator, or up to close. */
function readReply(socket: net.Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const finish = () =>
      resolve(
        Buffer.concat(chunks)
          .toString("utf8")
          .replace(/\0[\s\S]*$/, "")
          .trim(),
      );
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      if (chunk.includes(0)) finish();
    });
    socket.on("end", finish);
    socket.on("close", finish);
    socket.on("timeout", () => {
      reject(new ClamdUnavailableError("clamd timed out"));
      socket.destroy();
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      // A write that hits a socket clamd already closed (size limit) is not the answer: the reply is.
      if (error.code === "EPIPE" || error.code === "ECONNRESET") return;
      reject(new ClamdUnavailableError(`clamd unreachable: ${error.message}`));
    });
  });
}

/** Parses the reply to INSTREAM. */
export function parseScanReply(reply: string): ScanResult {
  const found = /^stream: (.+) FOUND$/.exec(reply);
  if (found) return { outcome: "infected", signature: found[1] };
  if (reply === "stream: OK") return { outcome: "clean" };
  if (/size limit exceeded/i.test(reply)) throw new ClamdSizeLimitError(reply);
  throw new ClamdUnavailableError(`unexpected clamd reply: ${reply || "(nothing)"}`);
}

/** A client for clamd's TCP protocol; one connection per command, no temp files. */
export class ClamdClient {
  constructor(private readonly options: ClamdOptions) {}

  private connect(): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.options.host, port: this.options.port });
      socket.setTimeout(this.options.timeoutMs);
      const fail = (error: Error) => {
        socket.destroy();
        reject(new ClamdUnavailableError(`clamd unreachable: ${error.message}`));
      };
      socket.once("error", fail);
      socket.once("timeout", () => fail(new Error("connect timed out")));
      socket.once("connect", () => {
        socket.off("error", fail);
        socket.removeAllListeners("timeout");
        resolve(socket);
      });
    });
  }

  private async command(name: string): Promise<string> {
    const socket = await this.connect();
    try {
      const reply = readReply(socket);
      socket.write(`z${name}\0`);
      return await reply;
    } finally {
      socket.destroy();
    }
  }

  /** How long the verdict may take once `bytes` were sent. */
  verdictWaitMs(bytes: number): number {
    return this.options.timeoutMs + Math.ceil((bytes / MiB) * (this.options.verdictMsPerMiB ?? 0));
  }

  async ping(): Promise<boolean> {
    return (await this.command("PING")) === "PONG";
  }

  async version(): Promise<string> {
    return this.command("VERSION");
  }

  /** clamd's MaxThreads (the scans it runs at once), from its STATS reply ("THREADS: live 1 idle 0 max 10 …"). */
  async maxThreads(): Promise<number> {
    const threads = /^THREADS:.*\bmax (\d+)/m.exec(await this.command("STATS"));
    if (!threads) throw new ClamdUnavailableError("clamd's STATS reply names no thread maximum");
    return Number(threads[1]);
  }

  /**
   * Streams `source` to clamd with INSTREAM, honouring backpressure, and returns its verdict.
   * `onSent` hears of every chunk once the socket took it, so a caller counts only bytes clamd can
   * have seen. Throws ClamdSizeLimitError past StreamMaxLength and ClamdUnavailableError when clamd
   * fails.
   */
  async scan(
    source: AsyncIterable<Uint8Array>,
    onSent: (bytes: number) => void = () => undefined,
  ): Promise<ScanResult> {
    const socket = await this.connect();
    let replied = false;
    const reply = readReply(socket).finally(() => {
      replied = true;
    });
    // Keep the reply's rejection handled while we are still writing.
    reply.catch(() => undefined);
    try {
      await write(socket, Buffer.from("zINSTREAM\0"));
      let sent = 0;
      for await (const chunk of source) {
        if (replied || socket.destroyed) break;
        // A zero length is INSTREAM's end-of-stream marker: clamd would answer before the rest.
        if (chunk.length === 0) continue;
        if (this.options.maxStreamBytes !== undefined && sent + chunk.length > this.options.maxStreamBytes) {
          throw new ClamdSizeLimitError(`stream exceeds the scanner's limit of ${this.options.maxStreamBytes} bytes`);
        }
        const header = Buffer.alloc(4);
        header.writeUInt32BE(chunk.length);
        if (!(await write(socket, header)) || !(await write(socket, chunk))) break;
        sent += chunk.length;
        onSent(chunk.length);
      }
      if (!replied && !socket.destroyed) await write(socket, END_OF_STREAM);
      // Nothing flows while clamd scans: the idle timeout gives way to a deadline that grows with the bytes.
      socket.setTimeout(0);
      return parseScanReply(await withinDeadline(reply, this.verdictWaitMs(sent), socket));
    } finally {
      socket.destroy();
    }
  }
}

/**
 * Writes and waits for the kernel buffer to drain. False when the socket went away first: the data
 * may never have left.
 */
function write(socket: net.Socket, data: Uint8Array): Promise<boolean> {
  return new Promise((resolve) => {
    if (socket.destroyed || !socket.writable) return resolve(false);
    const done = (drained: boolean) => () => {
      socket.off("drain", onDrain);
      socket.off("close", onClose);
      resolve(drained);
    };
    const onDrain = done(true);
    const onClose = done(false);
    if (socket.write(data)) return resolve(true);
    socket.once("drain", onDrain);
    socket.once("close", onClose);
  });
}
