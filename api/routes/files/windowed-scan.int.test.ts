import { createHash } from "node:crypto";
import { File, User } from "../../../db/models";
import { fileLifecycleId } from "../../../lib/file-lifecycle";
import { startClamd, type ClamdInstance } from "../../../test/clamd-instance";
import { createUser, type TestUser } from "../../../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../../../test/files-testbed";
import { testMarker } from "../../../test/samples";
import { api, randomBytesOf, uploadFile, waitForStatus } from "../../../test/uploads";

const KiB = 1024;
const MiB = 1024 * KiB;
/** The scanner of this file takes 1 MiB at most (StreamMaxLength): each window is that. */
const WINDOW = MiB;
const OVERLAP = 64 * KiB;

/**
 * LARGE_FILE_SCAN=windowed on the real stack (MinIO, Temporal, a worker) with a clamd of its own whose
 * StreamMaxLength is 1 MiB and whose database has a body signature (scripts/clamav/coffer-test.ndb),
 * so files of a few MiB take several windows and a marker can sit across a window's edge.
 */
describe("files past the scanner's limit, scanned in overlapping windows", () => {
  let clamd: ClamdInstance;
  let bed: FilesTestbed;
  let url: string;
  beforeAll(async () => {
    clamd = await startClamd(WINDOW);
    bed = await startFilesTestbed({
      CLAMAV_PORT: String(clamd.port),
      CLAMAV_MAX_BYTES: String(WINDOW),
      LARGE_FILE_SCAN: "windowed",
      LARGE_FILE_SCAN_OVERLAP_BYTES: String(OVERLAP),
    });
    url = bed.server.url;
  });
  afterAll(async () => {
    await bed?.close();
    await clamd?.stop();
  });

  const usedBytes = async (user: TestUser) => (await User.query(bed.deps.db).findById(user.user.id))!.usedBytes;
  const outcomeOf = (fileId: string) => bed.deps.temporal.workflow.getHandle(fileLifecycleId(fileId)).result();
  /** `size` clean bytes with the test marker written at `at`. */
  const withMarkerAt = (size: number, at: number) => {
    const bytes = randomBytesOf(size);
    testMarker.copy(bytes, at);
    return bytes;
  };

  it("finds a marker that sits across the end of a window: the next window repeats those bytes", async () => {
    const user = await createUser(bed.deps);
    // Half the marker in the first window's last bytes, half after it: no single window but the second holds it.
    const bytes = withMarkerAt(4 * MiB, WINDOW - testMarker.length / 2);
    const { fileId } = await uploadFile(url, user, "straddling.bin", bytes);
    expect(await outcomeOf(fileId)).toBe("quarantined");
    await waitForStatus(url, user, fileId, ["quarantined"]);
    expect((await File.query(bed.deps.db).findById(fileId))!.scanSignature).toMatch(/^Coffer\.Test\.Marker/);
    expect(await usedBytes(user)).toBe(0);
    expect((await api(url, "GET", `/files/${fileId}/download`, { user })).status).toBe(409);
  });

  it("finds a marker in the last, shorter window", async () => {
    const user = await createUser(bed.deps);
    const size = 3 * MiB + 12_345;
    const { fileId } = await uploadFile(url, user, "tail.bin", withMarkerAt(size, size - testMarker.length - 10));
    expect(await outcomeOf(fileId)).toBe("quarantined");
  });

  it("makes a clean multi-window file ready with its coverage and the hash of all its bytes", async () => {
    const user = await createUser(bed.deps);
    const bytes = randomBytesOf(5 * MiB + 777);
    const { fileId } = await uploadFile(url, user, "large.bin", bytes);
    expect(await outcomeOf(fileId)).toBe("ready");
    const file = await waitForStatus(url, user, fileId, ["ready"]);
    expect(file).toMatchObject({
      scanCoverage: "windowed",
      scanWindow: { windowBytes: WINDOW, overlapBytes: OVERLAP },
      sha256: createHash("sha256").update(bytes).digest("hex"),
    });
    expect(await usedBytes(user)).toBe(bytes.length);
    expect((await api(url, "GET", `/files/${fileId}/download`, { user })).status).toBe(302);
  });

  it("scans a file within the limit as one stream", async () => {
    const user = await createUser(bed.deps);
    const { fileId } = await uploadFile(url, user, "small.bin", randomBytesOf(WINDOW));
    const file = await waitForStatus(url, user, fileId, ["ready"]);
    expect(file).toMatchObject({ scanCoverage: "full", scanWindow: null });
  });
});
