import { fileOf, settle, setupEngine } from "./test-doubles";
import type { UploadEngine } from "./types";

let engines: UploadEngine[] = [];
const setup = (...args: Parameters<typeof setupEngine>) => {
  const setupped = setupEngine(...args);
  engines.push(setupped.engine);
  return setupped;
};
afterEach(() => {
  for (const engine of engines) engine.dispose();
  engines = [];
});

describe("upload engine", () => {
  it("sends each part's exact bytes and completes with the ETags in part order", async () => {
    const { engine, api, transport, clock, row } = setup();
    transport.handler = () => "hold";
    const [id] = engine.add([{ file: fileOf("notes.txt", 10), folderId: "folder-1" }]);
    await settle();

    expect(api.starts).toEqual([{ name: "notes.txt", sizeBytes: 10, mimeType: "text/plain", folderId: "folder-1" }]);
    expect(row(id).state).toBe("uploading");
    expect(transport.calls.map((call) => [call.partNumber, call.body.size])).toEqual([
      [1, 4],
      [2, 4],
      [3, 2],
    ]);
    expect(await Promise.all(transport.calls.map((call) => call.body.text()))).toEqual(["abcd", "efgh", "ij"]);
    expect(transport.calls.every((call) => call.body.type === "")).toBe(true);

    // Storage answers out of order; complete still lists parts 1, 2, 3.
    for (const call of [...transport.calls].reverse()) call.answer({ status: 200, etag: `"tag-${call.partNumber}"` });
    await clock.until(() => row(id).state === "processing");

    expect(api.completes).toHaveLength(1);
    expect(api.completes[0].parts.map(({ partNumber, etag }) => [partNumber, etag])).toEqual([
      [1, '"tag-1"'],
      [2, '"tag-2"'],
      [3, '"tag-3"'],
    ]);
    expect(row(id)).toMatchObject({ fileId: "f1", sentBytes: 10, partsDone: 3, partCount: 3, message: null });
    expect(engine.getSnapshot().totals).toMatchObject({ filesDone: 1, filesTotal: 1, bytesSent: 10, bytesTotal: 10 });
  });

  it("works on 3 files and 4 parts per file at most", async () => {
    const { engine, api, transport, clock } = setup();
    api.startLatencyMs = 300;
    transport.latencyMs = 500;
    let maxBusyRows = 0;
    engine.subscribe(() => {
      const busy = engine.getSnapshot().rows.filter((r) => ["initiating", "uploading", "completing"].includes(r.state));
      maxBusyRows = Math.max(maxBusyRows, busy.length);
    });
    engine.add(Array.from({ length: 6 }, (_, i) => ({ file: fileOf(`big-${i}.bin`, 40), folderId: null })));

    await clock.until(() => engine.getSnapshot().totals.filesDone === 6);

    expect(maxBusyRows).toBe(3);
    expect(api.maxStartsInFlight).toBe(3);
    expect(transport.maxFilesInFlight).toBe(3);
    expect(transport.maxInFlightPerFile).toBe(4);
    expect(transport.calls).toHaveLength(60);
  });

  it("initiates only 3 of 1,000 files added at once", async () => {
    const { engine, api, clock } = setup();
    api.startLatencyMs = 1000;
    const files = Array.from({ length: 1000 }, (_, i) => ({ file: fileOf(`photo-${i}.jpg`, 3), folderId: null }));

    const ids = engine.add(files);
    await settle();

    expect(ids).toHaveLength(1000);
    expect(api.starts.map((start) => start.name)).toEqual(["photo-0.jpg", "photo-1.jpg", "photo-2.jpg"]);
    const states = engine.getSnapshot().rows.map((r) => r.state);
    expect(states.filter((state) => state === "initiating")).toHaveLength(3);
    expect(states.filter((state) => state === "queued")).toHaveLength(997);
    expect(engine.getSnapshot().totals).toMatchObject({ filesTotal: 1000, bytesTotal: 3000, filesDone: 0 });

    await clock.until(() => engine.getSnapshot().totals.filesDone === 3);
    await settle();
    expect(api.starts).toHaveLength(6);
    expect(api.maxStartsInFlight).toBe(3);
  });

  it("keeps one snapshot object until something changes, and reuses unchanged rows", async () => {
    const { engine, transport, row } = setup();
    transport.handler = () => "hold";
    const first = engine.getSnapshot();
    expect(engine.getSnapshot()).toBe(first);
    const listener = jest.fn();
    const unsubscribe = engine.subscribe(listener);

    const [a, b] = engine.add([
      { file: fileOf("a.txt", 4), folderId: null },
      { file: fileOf("b.txt", 4), folderId: null },
    ]);
    await settle();
    const second = engine.getSnapshot();
    expect(second).not.toBe(first);
    expect(listener).toHaveBeenCalled();
    const rowB = row(b);

    engine.pause(a);
    const third = engine.getSnapshot();
    expect(third).not.toBe(second);
    expect(row(a).state).toBe("paused");
    expect(row(b)).toBe(rowB);

    unsubscribe();
    listener.mockClear();
    engine.pause(b);
    expect(listener).not.toHaveBeenCalled();
  });

  it("shows speed and time left only after 2 seconds of data", async () => {
    const { engine, transport, clock, row } = setup();
    transport.latencyMs = 4000;
    const [id] = engine.add([{ file: fileOf("video.mp4", 64), folderId: null }]);

    // Four 4-byte parts in flight report half their bytes after 2 s and finish after 4 s.
    await clock.advance(2500);
    expect(row(id).sentBytes).toBe(8);
    expect(row(id).bytesPerSecond).toBeGreaterThan(0);
    expect(row(id).secondsLeft).toBeNull();
    expect(engine.getSnapshot().totals.secondsLeft).toBeNull();

    await clock.advance(2000);
    expect(row(id).state).toBe("uploading");
    expect(row(id).sentBytes).toBe(16);
    expect(row(id).bytesPerSecond).toBeGreaterThan(0);
    expect(row(id).secondsLeft).toBeGreaterThan(0);
    expect(engine.getSnapshot().totals.secondsLeft).toBeGreaterThan(0);
  });
});
