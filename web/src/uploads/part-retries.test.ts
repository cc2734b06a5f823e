import { fileOf, settle, setupEngine, storedAnswer, type PutCall } from "./test-doubles";
import type { PutResult, UploadEngine } from "./types";

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

/** Answers part `partNumber` with `answers` in turn, then stores it; other parts are stored at once. */
const scripted =
  (partNumber: number, answers: (PutResult | "network")[]) =>
  (call: PutCall): PutResult | "network" => {
    if (call.partNumber !== partNumber) return storedAnswer(call);
    return answers.shift() ?? storedAnswer(call);
  };

describe("part retries", () => {
  it("retries a failing part after 1 s, then 2 s, and completes", async () => {
    const { engine, transport, clock, row, api } = setup();
    transport.handler = scripted(2, [{ status: 500, etag: null }, "network"]);
    const [id] = engine.add([{ file: fileOf("report.pdf", 12), folderId: null }]);

    await clock.until(() => row(id).state === "processing");

    const times = transport.callsFor(2).map((call) => call.at - transport.calls[0].at);
    expect(times).toEqual([0, 1000, 3000]);
    expect(api.completes[0].parts.map((part) => part.partNumber)).toEqual([1, 2, 3]);
  });

  it("adds jitter of up to half the wait", async () => {
    const { engine, transport, clock, row } = setup({ random: () => 0.5 });
    transport.handler = scripted(1, ["network", "network"]);
    const [id] = engine.add([{ file: fileOf("a.bin", 4), folderId: null }]);

    await clock.until(() => row(id).state === "processing");

    expect(transport.callsFor(1).map((call) => call.at - transport.calls[0].at)).toEqual([0, 1250, 1250 + 2500]);
  });

  it("counts the bytes of a part in flight and drops them when it fails", async () => {
    const { engine, transport, row } = setup();
    transport.handler = () => "hold";
    const [id] = engine.add([{ file: fileOf("a.bin", 8), folderId: null }]);
    await settle();

    const [first, second] = transport.calls;
    first.progress(3);
    second.progress(4);
    expect(row(id).sentBytes).toBe(7);

    first.answer({ status: 500, etag: null });
    await settle();
    expect(row(id).sentBytes).toBe(4);
    expect(row(id).state).toBe("uploading");
  });

  it("gives up after 5 attempts, and retry() sends only what the server lacks", async () => {
    const { engine, transport, clock, row, api } = setup();
    const failing = Array.from({ length: 5 }, () => ({ status: 503, etag: null }));
    transport.handler = scripted(1, failing);
    const [id] = engine.add([{ file: fileOf("a.bin", 12), folderId: null }]);

    await clock.until(() => row(id).state === "error");

    expect(transport.callsFor(1).map((call) => call.at - transport.calls[0].at)).toEqual([0, 1000, 3000, 7000, 15000]);
    expect(row(id).message).toBe("Part 1 could not be sent after 5 attempts (storage answered 503).");
    expect(api.completes).toHaveLength(0);
    expect(engine.getSnapshot().totals.filesFailed).toBe(1);

    transport.calls.length = 0;
    engine.retry(id);
    await clock.until(() => row(id).state === "processing");

    expect(api.lists).toEqual(["f1"]);
    expect(transport.calls.map((call) => call.partNumber)).toEqual([1]);
    expect(api.completes[0].parts.map((part) => part.partNumber)).toEqual([1, 2, 3]);
  });

  it("signs a part again after a 403 without counting an attempt", async () => {
    const { engine, transport, clock, row, api } = setup();
    const failures = Array.from({ length: 4 }, () => ({ status: 500, etag: null }));
    transport.handler = scripted(1, [{ status: 403, etag: null }, ...failures]);
    const [id] = engine.add([{ file: fileOf("a.bin", 8), folderId: null }]);

    await clock.until(() => row(id).state !== "uploading" && row(id).state !== "initiating");

    expect(row(id).state).toBe("processing");
    const part1 = transport.callsFor(1);
    expect(part1).toHaveLength(6);
    // Signed again at once, with a new URL, and no wait before the next try.
    expect(part1[1].at).toBe(part1[0].at);
    expect(part1[1].url).not.toBe(part1[0].url);
    expect(api.signs.filter((sign) => sign.partNumbers.includes(1))).toHaveLength(2);
  });

  it("fails a file whose storage hides the ETag header, without retrying", async () => {
    const { engine, transport, clock, row } = setup();
    transport.handler = () => ({ status: 200, etag: null });
    const [id] = engine.add([{ file: fileOf("a.bin", 4), folderId: null }]);

    await clock.until(() => row(id).state === "error");

    expect(transport.calls).toHaveLength(1);
    expect(row(id).message).toMatch(/ETag/);
  });

  it("abandons a PUT that makes no progress for a minute and tries again", async () => {
    const { engine, transport, clock, row } = setup({ stallTimeoutMs: 60_000 });
    let first = true;
    transport.handler = (call) => {
      if (!first) return storedAnswer(call);
      first = false;
      return "hold";
    };
    const [id] = engine.add([{ file: fileOf("a.bin", 4), folderId: null }]);

    await clock.until(() => row(id).state === "processing", 120_000, 1000);

    expect(transport.calls).toHaveLength(2);
    expect(transport.calls[0].aborted).toBe(true);
    expect(transport.calls[1].at - transport.calls[0].at).toBe(61_000);
  });
});
