import pg from "pg";
import type { Logger } from "../lib/logger";

/** The channel the files table's trigger announces status changes on (migration 20261202110000). */
const CHANNEL = "file_status";
/** How long after a failed or lost listener connection the next attempt waits. */
const RECONNECT_MS = 10_000;

/**
 * Requests waiting for a file's status to change (GET /files/:id?waitSeconds=). One PostgreSQL
 * connection per API process listens on the channel and wakes the requests waiting for the file
 * named. A listener that is down, or a pooler that cannot LISTEN, only makes the wait coarser: each
 * waiter also looks again every `recheckMs`.
 */
export class FileStatusWaits {
  private readonly waiters = new Map<string, Set<() => void>>();
  private listener: Promise<pg.Client | null> | null = null;
  /** After a failed connection, no new attempt before this time (ms since the epoch). */
  private retryAt = 0;
  private closed = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
    private readonly recheckMs = 2000,
  ) {}

  /** Returns once `waiting()` answers false, or after `ms`; `waiting` is asked again on every announcement. */
  async waitWhile(fileId: string, waiting: () => Promise<boolean>, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    await this.listen();
    for (;;) {
      let wake!: () => void;
      const woken = new Promise<void>((resolve) => (wake = resolve));
      this.add(fileId, wake);
      try {
        // Registered before looking, so a change committed in between still wakes this waiter.
        if (!(await waiting())) return;
        const left = deadline - Date.now();
        if (left <= 0 || this.closed) return;
        await untilOr(woken, Math.min(left, this.recheckMs));
      } finally {
        this.remove(fileId, wake);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = await this.listener?.catch(() => null);
    this.listener = null;
    await client?.end().catch(() => undefined);
    for (const wakes of this.waiters.values()) wakes.forEach((wake) => wake());
  }

  private add(fileId: string, wake: () => void) {
    const wakes = this.waiters.get(fileId) ?? new Set();
    wakes.add(wake);
    this.waiters.set(fileId, wakes);
  }

  private remove(fileId: string, wake: () => void) {
    const wakes = this.waiters.get(fileId);
    wakes?.delete(wake);
    if (wakes?.size === 0) this.waiters.delete(fileId);
  }

  /** Connects the listener once; after a failure or a lost connection the next wait tries again. */
  private listen(): Promise<pg.Client | null> {
    if (this.closed || Date.now() < this.retryAt) return Promise.resolve(null);
    this.listener ??= this.connect();
    return this.listener;
  }

  private async connect(): Promise<pg.Client | null> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    const lost = (error?: Error) => {
      if (error) this.logger.warn({ err: error }, "file status listener lost; waits fall back to rechecking");
      this.listener = null;
      this.retryAt = Date.now() + RECONNECT_MS;
      client.removeAllListeners();
      client.on("error", () => undefined);
      void client.end().catch(() => undefined);
    };
    try {
      await client.connect();
      await client.query(`listen ${CHANNEL}`);
    } catch (error) {
      lost(error as Error);
      return null;
    }
    client.on("notification", ({ payload }) => this.waiters.get(payload ?? "")?.forEach((wake) => wake()));
    client.on("error", lost);
    client.on("end", () => lost());
    return client;
  }
}

/** Resolves when `promise` does or after `ms`, whichever is first, leaving no timer behind. */
async function untilOr(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
