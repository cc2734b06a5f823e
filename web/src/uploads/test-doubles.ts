/**
 * Fakes for the engine's unit tests: a clock whose time moves only when told, an API that keeps
 * uploads in memory, and a storage transport whose answers the test chooses.
 */
import { ApiError } from "./api-error";
import { createUploadEngine } from "./engine";
import type {
  ApiFile,
  Clock,
  CompletedPart,
  HintStorage,
  PutResult,
  SignedPart,
  StartUploadInput,
  StartedUpload,
  StoredPart,
  TimerHandle,
  Transport,
  UploadApi,
  UploadEngineOptions,
  UploadRow,
} from "./types";

/** Lets every pending promise callback run (a macrotask boundary drains the microtask queue). */
export const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export class FakeClock implements Clock {
  private time = Date.UTC(2026, 0, 1);
  private lastId = 0;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    this.lastId += 1;
    this.timers.set(this.lastId, { at: this.time + Math.max(0, ms), callback });
    return this.lastId;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }

  /** Moves time forward, firing due timers in order and letting promises settle after each. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    await settle();
    for (;;) {
      let nextId: number | null = null;
      for (const [id, timer] of this.timers) {
        if (timer.at <= end && (nextId === null || timer.at < this.timers.get(nextId)!.at)) nextId = id;
      }
      if (nextId === null) break;
      const timer = this.timers.get(nextId)!;
      this.timers.delete(nextId);
      this.time = timer.at;
      timer.callback();
      await settle();
    }
    this.time = end;
    await settle();
  }

  /** Advances in steps until `done()` holds; throws when it still does not after `limitMs`. */
  async until(done: () => boolean, limitMs = 600_000, stepMs = 100): Promise<void> {
    await settle();
    for (let waited = 0; !done(); waited += stepMs) {
      if (waited >= limitMs) throw new Error(`Still not done after ${limitMs} ms of fake time.`);
      await this.advance(stepMs);
    }
  }
}

export function fileOf(name: string, sizeBytes: number, lastModified = 1_000): File {
  const bytes = Array.from({ length: sizeBytes }, (_, i) => String.fromCharCode(97 + (i % 26))).join("");
  return new File([bytes], name, { type: "text/plain", lastModified });
}

export function apiFile(overrides: Partial<ApiFile> & Pick<ApiFile, "id" | "name" | "sizeBytes">): ApiFile {
  return {
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    folderId: null,
    hasThumbnail: false,
    hasPreview: false,
    mimeType: "text/plain",
    detectedMimeType: null,
    scanCoverage: null,
    scanWindow: null,
    scannedAt: null,
    sha256: null,
    status: "uploading",
    statusReason: null,
    trashedAt: null,
    ...overrides,
  };
}

interface FakeUpload {
  file: ApiFile;
  partSize: number;
  partCount: number;
  open: boolean;
  stored: Map<number, StoredPart>;
}

/** The server's side, in memory. Each `on…` hook may throw an ApiError or return undefined for the default. */
export class FakeApi implements UploadApi {
  partSize = 4;
  startLatencyMs = 0;
  readonly starts: StartUploadInput[] = [];
  readonly signs: { fileId: string; partNumbers: number[] }[] = [];
  readonly lists: string[] = [];
  readonly heartbeats: { fileId: string; at: number }[] = [];
  readonly completes: { fileId: string; parts: CompletedPart[] }[] = [];
  readonly aborts: string[] = [];
  readonly uploads = new Map<string, FakeUpload>();
  startsInFlight = 0;
  maxStartsInFlight = 0;
  onStart?: (input: StartUploadInput, call: number) => StartedUpload | undefined;
  onHeartbeat?: (fileId: string) => void;
  onList?: (fileId: string) => StoredPart[] | undefined;
  private lastFile = 0;

  constructor(private readonly clock: FakeClock) {}

  async startUpload(input: StartUploadInput): Promise<StartedUpload> {
    this.starts.push(input);
    this.startsInFlight += 1;
    this.maxStartsInFlight = Math.max(this.maxStartsInFlight, this.startsInFlight);
    try {
      if (this.startLatencyMs > 0) await this.clock.sleep(this.startLatencyMs);
      const custom = this.onStart?.(input, this.starts.length);
      if (custom) return custom;
      return this.open(input.name, input.sizeBytes);
    } finally {
      this.startsInFlight -= 1;
    }
  }

  /** Opens an upload as the server would (also used to stage one "from before the reload"). */
  open(name: string, sizeBytes: number): StartedUpload {
    this.lastFile += 1;
    const file = apiFile({ id: `f${this.lastFile}`, name, sizeBytes });
    const partCount = Math.max(1, Math.ceil(sizeBytes / this.partSize));
    this.uploads.set(file.id, { file, partSize: this.partSize, partCount, open: true, stored: new Map() });
    return { file, partSize: this.partSize, partCount };
  }

  /** Storage now holds this part (the transport calls it after a successful PUT). */
  store(fileId: string, partNumber: number, etag: string, sizeBytes: number): void {
    this.uploads.get(fileId)?.stored.set(partNumber, { partNumber, etag, sizeBytes });
  }

  async signParts(fileId: string, partNumbers: number[]): Promise<SignedPart[]> {
    this.signs.push({ fileId, partNumbers });
    const upload = this.openUpload(fileId);
    const expiresAt = new Date(this.clock.now() + 15 * 60_000).toISOString();
    return partNumbers.map((partNumber) => ({
      partNumber,
      url: `https://storage.test/${fileId}/${partNumber}?signature=${this.signs.length}`,
      sizeBytes:
        partNumber < upload.partCount
          ? upload.partSize
          : upload.file.sizeBytes - (upload.partCount - 1) * upload.partSize,
      expiresAt,
    }));
  }

  async listParts(fileId: string): Promise<StoredPart[]> {
    this.lists.push(fileId);
    const upload = this.openUpload(fileId);
    return this.onList?.(fileId) ?? [...upload.stored.values()].sort((a, b) => a.partNumber - b.partNumber);
  }

  async heartbeat(fileId: string): Promise<void> {
    this.heartbeats.push({ fileId, at: this.clock.now() });
    this.onHeartbeat?.(fileId);
    this.openUpload(fileId);
  }

  async complete(fileId: string, parts: CompletedPart[]): Promise<ApiFile> {
    this.completes.push({ fileId, parts });
    const upload = this.openUpload(fileId);
    upload.open = false;
    return { ...upload.file, status: "processing" };
  }

  async abort(fileId: string): Promise<void> {
    this.aborts.push(fileId);
    const upload = this.uploads.get(fileId);
    if (upload) upload.open = false;
  }

  private openUpload(fileId: string): FakeUpload {
    const upload = this.uploads.get(fileId);
    if (!upload) throw new ApiError(404, "not_found", "No such file.");
    if (!upload.open) throw new ApiError(409, "upload_closed", "The upload is no longer open.");
    return upload;
  }
}

export interface PutCall {
  readonly url: string;
  readonly fileId: string;
  readonly partNumber: number;
  readonly body: Blob;
  readonly at: number;
  /** Reports upload progress of this PUT. */
  progress(loadedBytes: number): void;
  /** Ends a held PUT: an HTTP answer, or a network failure. */
  answer(result: PutResult | "network"): void;
  settled: boolean;
  aborted: boolean;
}

/** A PUT's answer, "network" for a failure without one, or "hold" to answer later by hand. */
export type PutHandler = (call: PutCall) => PutResult | "network" | "hold";

export const storedAnswer = (call: PutCall): PutResult => ({
  status: 200,
  etag: `"etag-${call.fileId}-${call.partNumber}"`,
});

export class FakeTransport implements Transport {
  handler: PutHandler = storedAnswer;
  /** Fake time each PUT takes when the handler answers by itself. */
  latencyMs = 0;
  readonly calls: PutCall[] = [];
  inFlight = 0;
  maxInFlightPerFile = 0;
  maxFilesInFlight = 0;
  private readonly perFile = new Map<string, number>();

  constructor(
    private readonly clock: FakeClock,
    private readonly api: FakeApi,
  ) {}

  callsFor(partNumber: number): PutCall[] {
    return this.calls.filter((call) => call.partNumber === partNumber);
  }

  put(url: string, body: Blob, onProgress: (loadedBytes: number) => void, signal: AbortSignal): Promise<PutResult> {
    const [fileId, part] = new URL(url).pathname.slice(1).split("/");
    this.enter(fileId);
    return new Promise<PutResult>((resolve, reject) => {
      const finish = () => {
        if (call.settled) return false;
        call.settled = true;
        this.leave(fileId);
        return true;
      };
      const call: PutCall = {
        url,
        fileId,
        partNumber: Number(part),
        body,
        at: this.clock.now(),
        settled: false,
        aborted: false,
        progress: (loaded) => {
          if (!call.settled) onProgress(loaded);
        },
        answer: (result) => {
          if (!finish()) return;
          if (result === "network") return reject(new TypeError("Failed to fetch"));
          if (result.status === 200 && result.etag) this.api.store(fileId, call.partNumber, result.etag, body.size);
          resolve(result);
        },
      };
      this.calls.push(call);
      signal.addEventListener("abort", () => {
        if (!finish()) return;
        call.aborted = true;
        reject(new DOMException("Aborted", "AbortError"));
      });
      const respond = () => {
        if (call.settled) return;
        const result = this.handler(call);
        if (result === "hold") return;
        if (result !== "network" && result.status === 200) call.progress(body.size);
        call.answer(result);
      };
      if (this.latencyMs > 0) {
        this.clock.setTimeout(() => call.progress(Math.floor(body.size / 2)), this.latencyMs / 2);
        this.clock.setTimeout(respond, this.latencyMs);
      } else {
        void Promise.resolve().then(respond);
      }
    });
  }

  private enter(fileId: string): void {
    this.inFlight += 1;
    this.perFile.set(fileId, (this.perFile.get(fileId) ?? 0) + 1);
    this.maxInFlightPerFile = Math.max(this.maxInFlightPerFile, this.perFile.get(fileId)!);
    this.maxFilesInFlight = Math.max(this.maxFilesInFlight, this.perFile.size);
  }

  private leave(fileId: string): void {
    this.inFlight -= 1;
    const left = (this.perFile.get(fileId) ?? 1) - 1;
    if (left === 0) this.perFile.delete(fileId);
    else this.perFile.set(fileId, left);
  }
}

/** localStorage in memory. */
export class MemoryStorage implements HintStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

/** An engine over the fakes, with no jitter. */
export function setupEngine(options: Partial<UploadEngineOptions> = {}) {
  const clock = new FakeClock();
  const api = new FakeApi(clock);
  const transport = new FakeTransport(clock, api);
  const engine = createUploadEngine({ api, transport, clock, random: () => 0, ...options });
  const row = (id: string): UploadRow => {
    const found = engine.getSnapshot().rows.find((candidate) => candidate.id === id);
    if (!found) throw new Error(`No row ${id}`);
    return found;
  };
  return { clock, api, transport, engine, row };
}
