import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { startClamd, type ClamdInstance } from "../test/clamd-instance";
import { cleanBytes, eicar } from "../test/samples";
import { ClamdClient, ClamdSizeLimitError, ClamdUnavailableError } from "./clamd";
import { getConfig, resetConfig } from "./config";

describe("ClamdClient against the stack's clamd", () => {
  let clamd: ClamdClient;
  beforeAll(() => {
    resetConfig();
    const config = getConfig();
    clamd = new ClamdClient({ host: config.CLAMAV_HOST, port: config.CLAMAV_PORT, timeoutMs: 30_000 });
  });

  it("answers PING and VERSION", async () => {
    expect(await clamd.ping()).toBe(true);
    expect(await clamd.version()).toMatch(/^ClamAV \d+\.\d+/);
  });

  it("reports EICAR as infected with its signature", async () => {
    const result = await clamd.scan(Readable.from([eicar]));
    expect(result).toEqual({ outcome: "infected", signature: expect.stringMatching(/eicar/i) });
  });

  it("reports ClamAV's own test file as infected", async () => {
    const result = await clamd.scan(createReadStream("/usr/share/clamav-testfiles/clam.exe"));
    expect(result.outcome).toBe("infected");
  });

  it("reports a clean stream of several megabytes as clean", async () => {
    expect(await clamd.scan(cleanBytes(5 * 1024 * 1024))).toEqual({ outcome: "clean" });
  });

  it("fails with ClamdUnavailableError when nothing listens", async () => {
    const nowhere = new ClamdClient({ host: "127.0.0.1", port: 1, timeoutMs: 1000 });
    await expect(nowhere.scan(Readable.from([eicar]))).rejects.toBeInstanceOf(ClamdUnavailableError);
    await expect(nowhere.ping()).rejects.toBeInstanceOf(ClamdUnavailableError);
  });
});

describe("ClamdClient over the scanner's size limit", () => {
  let instance: ClamdInstance;
  beforeAll(async () => {
    instance = await startClamd(1024 * 1024);
  });

  afterAll(() => instance.stop());

  const limit = 1024 * 1024;
  const client = () =>
    new ClamdClient({ host: "127.0.0.1", port: instance.port, timeoutMs: 5000, maxStreamBytes: limit });

  it("fails a stream over the limit with ClamdSizeLimitError", async () => {
    await expect(client().scan(cleanBytes(8 * limit))).rejects.toBeInstanceOf(ClamdSizeLimitError);
    await expect(client().scan(cleanBytes(limit + 1))).rejects.toBeInstanceOf(ClamdSizeLimitError);
  });

  it("scans streams up to exactly the limit, so client and clamd agree on it", async () => {
    expect(await client().scan(cleanBytes(limit / 2))).toEqual({ outcome: "clean" });
    expect(await client().scan(cleanBytes(limit))).toEqual({ outcome: "clean" });
  });
});
