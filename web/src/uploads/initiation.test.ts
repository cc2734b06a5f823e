import { ApiError } from "./api-error";
import { fileOf, setupEngine } from "./test-doubles";
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

describe("initiation", () => {
  it.each([
    [413, "quota_exceeded", "Your storage is full: 9.9 GB of 10 GB used."],
    [413, "file_too_large", "Files may be at most 5 GB."],
    [415, "type_not_allowed", "Executables are not allowed here."],
    [409, "name_taken", "A file with that name already exists in this folder."],
  ])("a %i %s ends refused with the server's message, and the queue goes on", async (status, code, message) => {
    const { engine, api, transport, clock, row } = setup();
    api.onStart = (input) => {
      if (input.name === "huge.iso") throw new ApiError(status, code, message);
      return undefined;
    };
    const [refused, next] = engine.add([
      { file: fileOf("huge.iso", 8), folderId: null },
      { file: fileOf("small.txt", 4), folderId: null },
    ]);

    await clock.until(() => row(next).state === "processing");

    expect(row(refused)).toMatchObject({ state: "refused", message, errorCode: code });
    expect(api.starts.filter((start) => start.name === "huge.iso")).toHaveLength(1);
    expect(transport.calls.every((call) => call.fileId !== "huge.iso")).toBe(true);
    expect(engine.getSnapshot().totals).toMatchObject({ filesTotal: 1, filesDone: 1, filesFailed: 1 });
  });

  it("a 429 too_many_uploads waits for Retry-After, then initiates again", async () => {
    const { engine, api, clock, row } = setup();
    api.onStart = (_input, call) => {
      if (call === 1) throw new ApiError(429, "too_many_uploads", "You have 5 uploads open already.", 30);
      return undefined;
    };
    const [id] = engine.add([{ file: fileOf("a.txt", 4), folderId: null }]);

    await clock.advance(29_000);
    expect(api.starts).toHaveLength(1);
    expect(row(id)).toMatchObject({
      state: "initiating",
      message: "You have 5 uploads open already.",
      retryAt: clock.now() + 1000,
    });

    await clock.advance(1000);
    expect(api.starts).toHaveLength(2);
    await clock.until(() => row(id).state === "processing");
    expect(row(id)).toMatchObject({ message: null, retryAt: null });
  });

  it("network and server failures at initiation are retried with backoff, then end in error", async () => {
    const { engine, api, clock, row, transport } = setup();
    api.onStart = () => {
      throw new ApiError(503, "unavailable", "The service is unavailable.");
    };
    const [id] = engine.add([{ file: fileOf("a.txt", 4), folderId: null }]);

    await clock.until(() => row(id).state === "error");

    expect(api.starts).toHaveLength(5);
    expect(clock.now() - Date.UTC(2026, 0, 1)).toBeGreaterThanOrEqual(15_000);
    expect(row(id).message).toBe("The service is unavailable.");
    expect(transport.calls).toHaveLength(0);

    api.onStart = undefined;
    engine.retry(id);
    await clock.until(() => row(id).state === "processing");
  });

  it("a file that is empty is sent as one empty part", async () => {
    const { engine, transport, clock, row, api } = setup();
    const [id] = engine.add([{ file: fileOf("empty.txt", 0), folderId: null }]);

    await clock.until(() => row(id).state === "processing");

    expect(transport.calls.map((call) => call.body.size)).toEqual([0]);
    expect(api.completes[0].parts).toHaveLength(1);
  });
});
