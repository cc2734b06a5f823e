import { createRequire } from "node:module";
import { Readable } from "node:stream";
import { readZip } from "../test/zip";
import { ZipFile } from "./zip-writer";

describe("the ZIP writer", () => {
  it("computes the same CRC-32 as buffer-crc32 did, chunk by chunk", () => {
    const crc32 = createRequire(require.resolve("yazl"))("buffer-crc32") as {
      unsigned(buffer: Buffer, previous?: number): number;
    };
    // Known values: CRC-32 of "123456789" is 0xcbf43926; of nothing, 0.
    expect(crc32.unsigned(Buffer.from("123456789"))).toBe(0xcbf43926);
    expect(crc32.unsigned(Buffer.alloc(0))).toBe(0);
    expect(crc32.unsigned(Buffer.from("6789"), crc32.unsigned(Buffer.from("12345")))).toBe(0xcbf43926);
  });

  it("writes stored entries from lazily opened streams that read back intact", async () => {
    const zip = new ZipFile();
    const files = { "a/b.txt": Buffer.from("hello"), "c.bin": Buffer.alloc(300_000, 7) };
    for (const [name, bytes] of Object.entries(files))
      zip.addReadStreamLazy(name, { size: bytes.length, compress: false }, (cb) => cb(null, Readable.from([bytes])));
    const size = await new Promise<number>((resolve) =>
      zip.end({ forceZip64Format: false, comment: "" }, (size?: number) => resolve(size ?? -1)),
    );
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream as Readable) chunks.push(chunk as Buffer);
    const archive = Buffer.concat(chunks);
    expect(archive.length).toBe(size);
    const entries = await readZip(archive);
    expect(entries.map((e) => [e.name, e.bytes.length])).toEqual([
      ["a/b.txt", 5],
      ["c.bin", 300_000],
    ]);
    expect(entries[1]!.bytes.equals(files["c.bin"])).toBe(true);
  });
});
