import { randomBytes } from "node:crypto";
import { ClamdUnavailableError, type ScanResult } from "./clamd";
import { scanInWindows, windowCount, windowStart, type ScanWindows } from "./windowed-scan";

/** A stand-in for clamd that keeps every session's bytes and finds `marker` within one session. */
function recordingScanner(marker?: Buffer, failOnSession?: number) {
  const sessions: Buffer[] = [];
  return {
    sessions,
    async scan(source: AsyncIterable<Uint8Array>, onSent: (bytes: number) => void = () => undefined) {
      const index = sessions.length;
      sessions.push(Buffer.alloc(0));
      if (index === failOnSession) throw new ClamdUnavailableError("clamd went away");
      for await (const chunk of source) {
        sessions[index] = Buffer.concat([sessions[index], chunk]);
        onSent(chunk.length);
      }
      const found = marker && sessions[index].includes(marker);
      return (found ? { outcome: "infected", signature: "Marker" } : { outcome: "clean" }) satisfies ScanResult;
    },
  };
}

/** `bytes` in chunks of random sizes, as S3 sends them. */
async function* chunked(bytes: Buffer) {
  for (let at = 0; at < bytes.length;) {
    const size = 1 + Math.floor(Math.random() * 700);
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

describe("scanInWindows", () => {
  const windows: ScanWindows = { windowBytes: 1000, overlapBytes: 100 };

  it.each([1, 999, 1000, 1001, 1900, 1901, 5432])(
    "sends %i bytes in windows that cover every byte, each within the limit",
    async (size) => {
      const bytes = randomBytes(size);
      const clamd = recordingScanner();
      let sent = 0;
      const result = await scanInWindows(clamd, chunked(bytes), windows, { onSent: (n) => (sent += n) });
      expect(result).toEqual({ outcome: "clean", windows: windowCount(windows, size) });
      expect(sent).toBe(size);
      clamd.sessions.forEach((session, index) => {
        const start = windowStart(windows, index);
        expect(session.length).toBeLessThanOrEqual(windows.windowBytes);
        expect(session).toEqual(bytes.subarray(start, start + windows.windowBytes));
      });
      const last = clamd.sessions.length - 1;
      expect(windowStart(windows, last) + clamd.sessions[last].length).toBe(size);
    },
  );

  it("finds a marker of overlap + 1 bytes wherever it lies, also across a window's end", async () => {
    const marker = randomBytes(windows.overlapBytes + 1);
    for (const at of [0, 899, 900, 950, 999 - marker.length, 1000 - marker.length + 1, 1850, 2999 - marker.length]) {
      const bytes = Buffer.alloc(3000, 7);
      marker.copy(bytes, at);
      const result = await scanInWindows(recordingScanner(marker), chunked(bytes), windows, { onSent: () => 0 });
      expect({ at, outcome: result.outcome }).toEqual({ at, outcome: "infected" });
    }
  });

  it("fails when one window's session fails, whatever the others said", async () => {
    const clamd = recordingScanner(undefined, 1);
    await expect(scanInWindows(clamd, chunked(randomBytes(3000)), windows, { onSent: () => 0 })).rejects.toBeInstanceOf(
      ClamdUnavailableError,
    );
  });

  it("refuses an overlap as large as the window", async () => {
    await expect(
      scanInWindows(
        recordingScanner(),
        chunked(randomBytes(10)),
        { windowBytes: 10, overlapBytes: 10 },
        {
          onSent: () => 0,
        },
      ),
    ).rejects.toBeInstanceOf(RangeError);
  });
});
