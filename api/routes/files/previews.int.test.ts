import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { fileLifecycleId } from "../../../lib/file-lifecycle";
import { previewKey } from "../../../lib/object-keys";
import { createUser, type TestUser } from "../../../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../../../test/files-testbed";
import { api, uploadFile } from "../../../test/uploads";

/** A one-page PDF (A4 portrait) with a filled rectangle, its xref offsets computed. */
function onePagePdf(): Buffer {
  const content = "0.2 0.4 0.8 rg 50 50 495 742 re f";
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ];
  let pdf = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, "0")} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, "latin1");
}

/** Two seconds of ffmpeg's test pattern as H.264 in MP4, index at the end (as cameras write it). */
function testVideo(): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), "coffer-video-"));
  try {
    const out = path.join(dir, "clip.mp4");
    execFileSync("ffmpeg", [
      "-v",
      "error",
      "-f",
      "lavfi",
      "-i",
      "testsrc=size=640x360:rate=25",
      "-t",
      "2",
      "-pix_fmt",
      "yuv420p",
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      out,
    ]);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("previews", () => {
  let bed: FilesTestbed;
  let url: string;
  beforeAll(async () => {
    bed = await startFilesTestbed();
    url = bed.server.url;
  });
  afterAll(() => bed.close());

  async function settle(user: TestUser, name: string, bytes: Buffer, extra: Record<string, unknown> = {}) {
    const { fileId } = await uploadFile(url, user, name, bytes, extra);
    expect(await bed.deps.temporal.workflow.getHandle(fileLifecycleId(fileId)).result()).toBe("ready");
    return fileId;
  }
  async function preview(user: TestUser, fileId: string) {
    const res = await api(url, "GET", `/files/${fileId}/preview`, { user });
    expect(res.status).toBe(302);
    const image = await fetch(res.headers.get("location")!);
    expect(image.headers.get("content-type")).toBe("image/webp");
    const bytes = Buffer.from(await image.arrayBuffer());
    return { bytes, meta: await sharp(bytes).metadata() };
  }

  it("makes a 1600 px WebP of a photo, turned upright by its EXIF orientation, with no metadata left", async () => {
    const user = await createUser(bed.deps);
    // 3000×2000 as stored, orientation 6: shown rotated, 2000 wide and 3000 high. With camera EXIF.
    const photo = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: "#884422" } })
      .jpeg()
      .withMetadata({ orientation: 6, exif: { IFD0: { Copyright: "Someone", Make: "Camera" } } })
      .toBuffer();
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const fileId = await settle(user, "photo.jpg", photo, { mimeType: "image/jpeg" });
    expect((await api(url, "GET", `/files/${fileId}`, { user })).body.file.hasPreview).toBe(true);
    const { meta } = await preview(user, fileId);
    expect(meta).toMatchObject({ format: "webp", width: 1067, height: 1600 });
    expect(meta.exif).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
  });

  it("makes a poster frame of a video with ffmpeg", async () => {
    const user = await createUser(bed.deps);
    const fileId = await settle(user, "clip.mp4", testVideo(), { mimeType: "video/mp4" });
    const { meta } = await preview(user, fileId);
    expect(meta).toMatchObject({ format: "webp", width: 640, height: 360 });
  });

  it("makes an image of a PDF's first page with pdftoppm", async () => {
    const user = await createUser(bed.deps);
    const fileId = await settle(user, "report.pdf", onePagePdf(), { mimeType: "application/pdf" });
    const { bytes, meta } = await preview(user, fileId);
    expect(meta.format).toBe("webp");
    expect(meta.height).toBe(1600);
    expect(meta.width).toBe(1131);
    // The page's blue rectangle is there.
    const { data } = await sharp(bytes)
      .extract({ left: 565, top: 800, width: 1, height: 1 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([...data.subarray(0, 3)]).toEqual([expect.any(Number), expect.any(Number), expect.any(Number)]);
    expect(data[2]).toBeGreaterThan(data[0]);
  });

  it("leaves a file whose preview fails ready, without a preview", async () => {
    const user = await createUser(bed.deps);
    // An MP4 header (ftyp) and then noise: detected as video, undecodable by ffmpeg.
    const broken = Buffer.concat([
      Buffer.from("000000186674797069736f6d0000020069736f6d69736f32", "hex"),
      Buffer.alloc(50_000, 7),
    ]);
    const fileId = await settle(user, "broken.mp4", broken, { mimeType: "video/mp4" });
    const file = (await api(url, "GET", `/files/${fileId}`, { user })).body.file;
    expect(file).toMatchObject({ status: "ready", hasPreview: false });
    expect((await api(url, "GET", `/files/${fileId}/preview`, { user })).status).toBe(404);
    expect((await api(url, "GET", `/files/${fileId}/download`, { user })).status).toBe(302);
  });

  it("answers 404 for files without previews and for other users, and deletes the preview with the file", async () => {
    const owner = await createUser(bed.deps);
    const other = await createUser(bed.deps);
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#fff" } })
      .png()
      .toBuffer();
    const fileId = await settle(owner, "tiny.png", png, { mimeType: "image/png" });
    const text = await settle(owner, "notes.txt", Buffer.from("just text\n"));
    expect((await preview(owner, fileId)).meta).toMatchObject({ width: 40, height: 30 });
    expect((await api(url, "GET", `/files/${fileId}/preview`, { user: other })).status).toBe(404);
    expect((await api(url, "GET", `/files/${text}/preview`, { user: owner })).status).toBe(404);

    const key = previewKey({ ownerId: owner.user.id, id: fileId });
    expect(await bed.deps.storage.objectSize(key)).not.toBeNull();
    expect((await api(url, "DELETE", `/files/${fileId}?permanent=true`, { user: owner })).status).toBe(204);
    expect(await bed.deps.storage.objectSize(key)).toBeNull();
  });
});
