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
