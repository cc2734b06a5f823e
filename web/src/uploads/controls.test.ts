import { ApiError } from "./api-error";
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

describe("pause, resume, cancel", () => {
  it("pause aborts the PUTs in flight, and resume finishes the upload", async () => {
    const { engine, transport, clock, row, api } = setup();
    transport.handler = () => "hold";
    const [id] = engine.add([{ file: fileOf("movie.mkv", 20), folderId: null }]);
    await settle();
    expect(transport.calls).toHaveLength(4);
    transport.calls[0].answer({ status: 200, etag: '"one"' });
    for (const call of transport.calls.slice(1)) call.progress(2);
    await settle();
    expect(row(id).sentBytes).toBe(10);

    engine.pause(id);
    await settle();

    expect(row(id).state).toBe("paused");
    expect(transport.calls.slice(1).every((call) => call.aborted)).toBe(true);
    expect(row(id).sentBytes).toBe(4);
    await clock.advance(10 * 60_000);
    expect(transport.calls).toHaveLength(5);
    // A paused upload stays open on the server: it keeps its heartbeat.
    expect(api.heartbeats.map((beat) => beat.fileId)).toHaveLength(10);

    transport.handler = (call) => ({ status: 200, etag: `"part-${call.partNumber}"` });
    engine.resume(id);
    await clock.until(() => row(id).state === "processing");

    expect(transport.calls.slice(5).map((call) => call.partNumber)).toEqual([2, 3, 4, 5]);
    expect(api.completes[0].parts.map((part) => part.etag)).toEqual([
      '"one"',
      '"part-2"',
      '"part-3"',
      '"part-4"',
      '"part-5"',
    ]);
  });

  it("pauseAll and resumeAll stop and restart everything", async () => {
    const { engine, transport, clock } = setup();
    transport.handler = () => "hold";
    engine.add(Array.from({ length: 5 }, (_, i) => ({ file: fileOf(`f${i}`, 4), folderId: null })));
    await settle();

    engine.pauseAll();
    await settle();
    expect(engine.getSnapshot().rows.every((r) => r.state === "paused")).toBe(true);
    expect(transport.calls.every((call) => call.aborted)).toBe(true);

    transport.handler = (call) => ({ status: 200, etag: `"${call.partNumber}"` });
    engine.resumeAll();
    await clock.until(() => engine.getSnapshot().totals.filesDone === 5);
  });

  it("cancel aborts the upload on the server and stops its PUTs", async () => {
    const { engine, transport, clock, row, api } = setup();
    transport.handler = () => "hold";
    const [id] = engine.add([{ file: fileOf("big.iso", 16), folderId: null }]);
    await settle();

    engine.cancel(id);
    await clock.advance(5000);

    expect(row(id).state).toBe("cancelled");
    expect(api.aborts).toEqual(["f1"]);
    expect(transport.calls.every((call) => call.aborted)).toBe(true);
    expect(api.completes).toHaveLength(0);
    expect(engine.getSnapshot().totals.filesTotal).toBe(0);
    await clock.advance(5 * 60_000);
    expect(api.heartbeats).toHaveLength(0);

    engine.dismiss(id);
    expect(engine.getSnapshot().rows).toHaveLength(0);
  });

  it("cancel of a queued file never starts it; cancel while initiating aborts once the id is known", async () => {
    const { engine, clock, row, api } = setup();
    api.startLatencyMs = 1000;
    const ids = engine.add(Array.from({ length: 4 }, (_, i) => ({ file: fileOf(`f${i}`, 4), folderId: null })));
    await settle();

    engine.cancel(ids[3]);
    engine.cancel(ids[0]);
    await clock.until(() => engine.getSnapshot().totals.filesDone === 2);

    expect(api.starts.map((start) => start.name)).toEqual(["f0", "f1", "f2"]);
    expect(api.aborts).toEqual(["f1"]);
    expect(row(ids[0]).state).toBe("cancelled");
    expect(row(ids[3]).state).toBe("cancelled");
  });

  it("cancelAll aborts every open upload", async () => {
    const { engine, transport, clock, api } = setup();
    transport.handler = () => "hold";
    engine.add(Array.from({ length: 5 }, (_, i) => ({ file: fileOf(`f${i}`, 4), folderId: null })));
    await settle();

    engine.cancelAll();
    await clock.advance(1000);

    expect(engine.getSnapshot().rows.every((r) => r.state === "cancelled")).toBe(true);
    expect(api.aborts.sort()).toEqual(["f1", "f2", "f3"]);
    expect(api.starts).toHaveLength(3);
  });

  it("going offline pauses the work and coming back resumes it, but not what the user paused", async () => {
    const { engine, transport, clock, row } = setup();
    transport.handler = () => "hold";
    const [a, b] = engine.add([
      { file: fileOf("a", 8), folderId: null },
      { file: fileOf("b", 8), folderId: null },
    ]);
    await settle();
    engine.pause(b);

    engine.setOnline(false);
    await settle();
    expect(row(a)).toMatchObject({ state: "paused", message: "Waiting for the network." });
    expect(engine.getSnapshot().online).toBe(false);
    const [c] = engine.add([{ file: fileOf("c", 4), folderId: null }]);
    await clock.advance(1000);
    expect(row(c).state).toBe("queued");

    transport.handler = (call) => ({ status: 200, etag: `"${call.partNumber}"` });
    engine.setOnline(true);
    await clock.until(() => row(a).state === "processing" && row(c).state === "processing");
    expect(row(b).state).toBe("paused");
  });

  it("a heartbeat that finds the upload closed ends it in error; retry starts it again", async () => {
    const { engine, transport, clock, row, api } = setup();
    transport.handler = () => "hold";
    const [id] = engine.add([{ file: fileOf("a", 8), folderId: null }]);
    await settle();
    engine.pause(id);
    api.onHeartbeat = () => {
      throw new ApiError(409, "upload_closed", "The upload is no longer open.");
    };

    await clock.advance(60_000);

    expect(row(id)).toMatchObject({ state: "error", errorCode: "upload_closed", fileId: null, sentBytes: 0 });
    transport.handler = (call) => ({ status: 200, etag: `"${call.partNumber}"` });
    api.onHeartbeat = undefined;
    engine.retry(id);
    await clock.until(() => row(id).state === "processing");
    expect(api.starts).toHaveLength(2);
    expect(row(id).fileId).toBe("f2");
  });

  it("records the scan outcome and clears finished rows", async () => {
    const { engine, clock, row } = setup();
    const [id, other] = engine.add([
      { file: fileOf("eicar.com", 4), folderId: null },
      { file: fileOf("ok.txt", 4), folderId: null },
    ]);
    await clock.until(() => engine.getSnapshot().totals.filesDone === 2);

    engine.markFinished(id, "quarantined", "Eicar-Test-Signature");
    expect(row(id)).toMatchObject({ state: "quarantined", message: "Eicar-Test-Signature" });
    engine.clearFinished();
    expect(engine.getSnapshot().rows.map((r) => r.id)).toEqual([other]);
  });
});
