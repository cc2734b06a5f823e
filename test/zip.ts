// Reads a ZIP the API sent, entry by entry, with yauzl (a reader of its own, not the writer's code).
import zlib from "node:zlib";
import yauzl from "yauzl";

export interface ZipEntryRead {
  name: string;
  bytes: Buffer;
}

/** Every entry of a ZIP held in memory, with its bytes; throws when an entry's bytes do not match its CRC-32. */
export async function readZip(zip: Buffer): Promise<ZipEntryRead[]> {
  const file = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(zip, { lazyEntries: true, validateEntrySizes: true }, (error, opened) =>
      error ? reject(error) : resolve(opened),
    ),
  );
  const entries: ZipEntryRead[] = [];
  return new Promise((resolve, reject) => {
    file.on("error", reject);
    file.on("end", () => resolve(entries));
    file.on("entry", (entry: yauzl.Entry) => {
      file.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("error", reject);
        stream.on("end", () => {
          const bytes = Buffer.concat(chunks);
          if (zlib.crc32(bytes) !== entry.crc32) return reject(new Error(`${entry.fileName}: CRC-32 mismatch`));
          entries.push({ name: entry.fileName, bytes });
          file.readEntry();
        });
      });
    });
    file.readEntry();
  });
}
