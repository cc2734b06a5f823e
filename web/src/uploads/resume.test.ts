import { ApiError } from "./api-error";
import { createUploadEngine } from "./engine";
import { MemoryStorage, fileOf, settle, setupEngine, storedAnswer, type FakeApi } from "./test-doubles";
import type { OpenUpload, UploadEngine } from "./types";

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

/** An upload of 16 bytes (4 parts) opened before the reload, with `storedParts` already in storage. */
function openBeforeReload(api: FakeApi, storedParts: number[]): OpenUpload {
  const started = api.open("holiday.mov", 16);
  for (const n of storedParts) api.store(started.file.id, n, `"old-${n}"`, 4);
  const parts = storedParts.map((partNumber) => ({ partNumber, etag: `"old-${partNumber}"`, sizeBytes: 4 }));
  return { ...started, parts };
}

describe("resume after a reload", () => {
  it("lists open uploads as waiting for the file, and heartbeats them", async () => {
    const { engine, api, clock } = setup();
    const open = openBeforeReload(api, [1, 3]);

    engine.restoreOpenUploads([open]);
    engine.restoreOpenUploads([open]);

    const rows = engine.getSnapshot().rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      state: "waiting_for_file",
      hasFile: false,
      fileId: "f1",
      sentBytes: 8,
      partsDone: 2,
    });
    await clock.advance(60_000);
    expect(api.heartbeats.map((beat) => beat.fileId)).toEqual(["f1"]);
  });

  it("sends only the parts storage lacks, asking the server which those are", async () => {
    const { engine, api, transport, clock, row } = setup();
    const open = openBeforeReload(api, [1, 3]);
    // GET /uploads was read earlier; since then part 3 landed too. The server is the truth.
    const stale = { ...open, parts: open.parts.filter((part) => part.partNumber === 1) };
    engine.restoreOpenUploads([stale]);

    const result = engine.resumeOpenUpload(stale, fileOf("holiday.mov", 16));
    expect(result.ok).toBe(true);
    const id = result.ok ? result.id : "";
    await clock.until(() => row(id).state === "processing");

    expect(api.lists).toEqual(["f1"]);
    expect(api.starts).toHaveLength(0);
    expect(transport.calls.map((call) => call.partNumber)).toEqual([2, 4]);
    expect(await Promise.all(transport.calls.map((call) => call.body.text()))).toEqual(["efgh", "mnop"]);
    expect(api.completes[0].parts.map((part) => [part.partNumber, part.etag])).toEqual([
      [1, '"old-1"'],
      [2, '"etag-f1-2"'],
      [3, '"old-3"'],
      [4, '"etag-f1-4"'],
    ]);
  });

  it("refuses a file of another size or name, and asks the server nothing", async () => {
    const { engine, api, row } = setup();
    const open = openBeforeReload(api, [1]);
    engine.restoreOpenUploads([open]);

    const bigger = engine.resumeOpenUpload(open, fileOf("holiday.mov", 17));
    const renamed = engine.resumeOpenUpload(open, fileOf("other.mov", 16));
    await settle();

    expect(bigger).toMatchObject({ ok: false, reason: "size_mismatch" });
    expect(renamed).toMatchObject({ ok: false, reason: "name_mismatch" });
    expect(api.lists).toHaveLength(0);
    expect(api.starts).toHaveLength(0);
    expect(row(engine.getSnapshot().rows[0].id).state).toBe("waiting_for_file");
  });

  it("refuses a file modified since the upload started, from the hint kept before the reload", async () => {
    const storage = new MemoryStorage();
    const { engine: before, api, transport, clock } = setup({ storage });
    transport.handler = () => "hold";
    before.add([{ file: fileOf("holiday.mov", 16, 1111), folderId: null }]);
    await settle();
    expect([...storage.items.keys()]).toEqual(["coffer.upload.f1"]);
    before.dispose(); // the page reloads

    const after = createUploadEngine({ api, transport, clock, random: () => 0, storage });
    engines.push(after);
    transport.handler = storedAnswer;
    const { file, partSize, partCount } = api.uploads.get("f1")!;
    const open: OpenUpload = { file, partSize, partCount, parts: [] };

    expect(after.resumeOpenUpload(open, fileOf("holiday.mov", 16, 2222))).toMatchObject({
      ok: false,
      reason: "modified",
    });
    expect(after.resumeOpenUpload(open, fileOf("holiday.mov", 16, 1111)).ok).toBe(true);
    await clock.until(() => after.getSnapshot().totals.filesDone === 1);
    expect(storage.items.size).toBe(0);
  });

  it("starts afresh when the server no longer holds the upload", async () => {
    const { engine, api, transport, clock, row } = setup();
    const open = openBeforeReload(api, [1, 2]);
    api.onList = () => {
      throw new ApiError(409, "upload_closed", "The upload is no longer open.");
    };

    const result = engine.resumeOpenUpload(open, fileOf("holiday.mov", 16));
    const id = result.ok ? result.id : "";
    await clock.until(() => row(id).state === "processing");

    expect(api.starts).toHaveLength(1);
    expect(row(id).fileId).toBe("f2");
    expect(transport.calls.map((call) => call.partNumber)).toEqual([1, 2, 3, 4]);
  });

  it("a cancel while the server is asked for its parts does not start a new upload", async () => {
    const { engine, api, clock, row } = setup();
    const open = openBeforeReload(api, [1]);
    api.onList = () => {
      engine.cancel(engine.getSnapshot().rows[0].id);
      throw new ApiError(409, "upload_closed", "The upload is no longer open.");
    };

    const result = engine.resumeOpenUpload(open, fileOf("holiday.mov", 16));
    const id = result.ok ? result.id : "";
    await clock.advance(10_000);

    expect(row(id).state).toBe("cancelled");
    expect(api.starts).toHaveLength(0);
    expect(api.aborts).toEqual(["f1"]);
  });

  it("ignores a stale listing of an upload it has since cancelled", async () => {
    const { engine, api, clock } = setup();
    const open = openBeforeReload(api, []);
    engine.restoreOpenUploads([open]);
    engine.cancel(engine.getSnapshot().rows[0].id);
    engine.dismiss(engine.getSnapshot().rows[0].id);
    await clock.advance(1000);

    engine.restoreOpenUploads([open]);

    expect(engine.getSnapshot().rows).toHaveLength(0);
    expect(api.aborts).toEqual(["f1"]);
  });
});
