/**
 * The ZIP writer of folder shares: yazl (docs/decisions.md), with one change. yazl checksums every
 * byte with the pure-JavaScript buffer-crc32 (about 70 MiB/s on the reference machine), which made
 * the CRC the bottleneck of a folder download; Node's zlib.crc32 (native, Node ≥ 20.15) gives the
 * same CRC-32 about nine times faster. So yazl's own copy of buffer-crc32 is pointed at it, once,
 * before yazl is used; on an older Node it stays as it is. lib/zip-writer.test.ts checks that the
 * two agree and that archives still read back.
 */
import { createRequire } from "node:module";
import zlib from "node:zlib";
import { ZipFile } from "yazl";

interface BufferCrc32 {
  unsigned(buffer: Buffer, previous?: number): number;
}

const nativeCrc32 = (zlib as { crc32?: (data: Buffer, value?: number) => number }).crc32;
if (nativeCrc32) {
  const crc32 = createRequire(require.resolve("yazl"))("buffer-crc32") as BufferCrc32;
  crc32.unsigned = (buffer, previous) => nativeCrc32(buffer, previous ?? 0);
}

export { ZipFile };
