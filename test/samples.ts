/** The EICAR anti-virus test file, built at run time so no scanner flags this repository. */
export const eicar = Buffer.from(
  ["X5O!P%@AP[4\\PZX54(P^)7CC)7}$", "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"].join(""),
  "latin1",
);

/** Yields `total` bytes of a repeating clean pattern in chunks, without holding them all. */
export async function* cleanBytes(total: number, chunkSize = 64 * 1024): AsyncGenerator<Buffer> {
  const chunk = Buffer.alloc(chunkSize, "coffer clean test data\n");
  for (let sent = 0; sent < total; sent += chunkSize) {
    yield sent + chunkSize <= total ? chunk : chunk.subarray(0, total - sent);
  }
}

/** A Windows executable's first bytes: the MZ stub and a PE header (nothing runnable, but typed as one). */
export function windowsExecutable(size = 4096): Buffer {
  const bytes = Buffer.alloc(size);
  bytes.write("MZ", 0, "latin1");
  bytes.writeUInt32LE(0x80, 0x3c); // e_lfanew: where the PE header starts
  bytes.write("This program cannot be run in DOS mode.", 0x4e, "latin1");
  bytes.write("PE\0\0", 0x80, "latin1");
  bytes.writeUInt16LE(0x8664, 0x84); // machine: x86-64
  return bytes;
}

/** A Linux executable's first bytes: an ELF64 header. */
export function linuxExecutable(size = 4096): Buffer {
  const bytes = Buffer.alloc(size);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(bytes, 0);
  bytes.writeUInt16LE(2, 16); // e_type: executable
  bytes.writeUInt16LE(0x3e, 18); // e_machine: x86-64
  return bytes;
}

/**
 * Bytes that the test signature Coffer.Test.Marker (scripts/clamav/coffer-test.ndb, a body signature)
 * finds anywhere in a stream, unlike EICAR, which the hash-only test database knows only as a whole
 * file. Joined at run time so no scanner with that database flags this repository.
 */
export const testMarker = Buffer.from(["COFFER-TEST-MARKER:", "a body signature found anywhere in a stream"].join(""));
