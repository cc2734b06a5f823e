import sharp from "sharp";
import { UploadEvent, User } from "../../../db/models";
import { createUser, type TestUser } from "../../../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../../../test/files-testbed";
import { linuxExecutable, windowsExecutable } from "../../../test/samples";
import { downloadShare, shareFile } from "../../../test/shares";
import { api, initUpload, uploadFile, waitForStatus } from "../../../test/uploads";

/** Images, text, PDFs and unknown binary may come in; SVG never (a declared or detected type alike). */
const policy = {
  UPLOAD_ALLOWED_TYPES: "image/*, text/*, application/pdf, application/octet-stream",
  UPLOAD_BLOCKED_TYPES: "image/svg+xml",
};

describe("the upload type policy", () => {
  let bed: FilesTestbed;
  let url: string;
  let png: Buffer;
  beforeAll(async () => {
    bed = await startFilesTestbed({ ...policy, TRUST_PROXY: "true" });
    url = bed.server.url;
    png = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#c0ffee" } })
      .png()
      .toBuffer();
  });
  afterAll(() => bed.close());

  const quota = async (user: TestUser) => {
    const row = (await User.query(bed.deps.db).findById(user.user.id))!;
    return { used: row.usedBytes, reserved: row.reservedBytes };
  };

  it("answers 415 type_not_allowed at init for a declared type outside the policy, reserving nothing", async () => {
    const user = await createUser(bed.deps);
    for (const mimeType of ["application/x-msdownload", "image/svg+xml", "video/mp4"]) {
      const res = await initUpload(url, user, "file", 100, { mimeType });
      expect(res.status).toBe(415);
      expect(res.body.error).toMatchObject({ code: "type_not_allowed", details: { mimeType } });
      expect(res.body.requestId).toEqual(expect.any(String));
    }
    expect(await quota(user)).toEqual({ used: 0, reserved: 0 });
    expect((await initUpload(url, user, "photo.png", 100, { mimeType: "image/png" })).status).toBe(201);
  });

  it("rejects a renamed Windows executable declared as a JPEG: reason shown, bytes refunded, object gone", async () => {
    const user = await createUser(bed.deps);
    const exe = windowsExecutable(64 * 1024);
    const { fileId } = await uploadFile(url, user, "holiday.jpg", exe, { mimeType: "image/jpeg" });
    const file = await waitForStatus(url, user, fileId, ["rejected", "ready"]);
    expect(file).toMatchObject({
      status: "rejected",
      statusReason: "type_not_allowed",
      mimeType: "image/jpeg",
      detectedMimeType: "application/x-msdownload",
    });
    expect(await quota(user)).toEqual({ used: 0, reserved: 0 });
    expect(await bed.deps.storage.objectSize(`${user.user.id}/${fileId}`)).toBeNull();
    const download = await api(url, "GET", `/files/${fileId}/download`, { user });
    expect(download.status).toBe(409);
    const events = await UploadEvent.query(bed.deps.db).where({ fileId, reason: "type_not_allowed" });
    expect(events).toHaveLength(1);
  });

  it("rejects polyglots whose first bytes are an executable, whatever follows or was declared", async () => {
    const user = await createUser(bed.deps);
    // A PE stub with a valid PNG appended (image viewers that search for the PNG open it).
    const exeThenPng = Buffer.concat([windowsExecutable(), png]);
    const elfAsText = linuxExecutable(10_000);
    const ids = await Promise.all([
      uploadFile(url, user, "cat.png", exeThenPng, { mimeType: "image/png" }),
      uploadFile(url, user, "notes.txt", elfAsText, { mimeType: "text/plain" }),
    ]);
    const [png2, elf] = await Promise.all(
      ids.map(({ fileId }) => waitForStatus(url, user, fileId, ["rejected", "ready"])),
    );
    expect(png2).toMatchObject({ status: "rejected", detectedMimeType: "application/x-msdownload" });
    expect(elf).toMatchObject({ status: "rejected", detectedMimeType: "application/x-elf" });
    expect(await quota(user)).toEqual({ used: 0, reserved: 0 });
  });

  it("serves a polyglot that starts as an image as that image, never as what it hides", async () => {
    const user = await createUser(bed.deps);
    // A PNG with an HTML page appended: a sniffing browser could run it if served as text/html.
    const pngThenHtml = Buffer.concat([png, Buffer.from("<html><script>alert(document.cookie)</script></html>")]);
    const { fileId } = await uploadFile(url, user, "page.html", pngThenHtml, { mimeType: "text/html" });
    const file = await waitForStatus(url, user, fileId, ["ready", "rejected"]);
    expect(file).toMatchObject({ status: "ready", detectedMimeType: "image/png", mimeType: "text/html" });
    const download = await api(url, "GET", `/files/${fileId}/download`, { user });
    expect(download.status).toBe(302);
    const stored = await fetch(download.headers.get("location")!);
    expect(stored.headers.get("content-type")).toBe("image/png");
    expect(stored.headers.get("content-disposition")).toMatch(/^attachment;/);
  });

  it("sends owner and share downloads with the detected type, not the declared one", async () => {
    const user = await createUser(bed.deps);
    // A PNG uploaded without a type, and text uploaded as an image.
    const { fileId: pngId } = await uploadFile(url, user, "scan.bin", png);
    const text = Buffer.from("plain words, no picture\n".repeat(100));
    const { fileId: textId } = await uploadFile(url, user, "fake.png", text, { mimeType: "image/png" });
    expect(await waitForStatus(url, user, pngId, ["ready", "rejected"])).toMatchObject({
      status: "ready",
      mimeType: "application/octet-stream",
      detectedMimeType: "image/png",
    });
    expect(await waitForStatus(url, user, textId, ["ready", "rejected"])).toMatchObject({
      status: "ready",
      detectedMimeType: "text/plain",
    });

    const link = await api(url, "GET", `/files/${pngId}/download-url`, { user });
    expect((await fetch(link.body.url)).headers.get("content-type")).toBe("image/png");
    const { token } = await shareFile(url, user, textId, { maxDownloads: 2 });
    const shared = await downloadShare(url, token);
    expect(shared.status).toBe(200);
    expect(shared.headers.get("content-type")).toBe("text/plain");
    expect(shared.bytes).toEqual(text);
  });

  it('rejects an "image" whose bytes are XML (an SVG declared as a PNG)', async () => {
    const user = await createUser(bed.deps);
    const svg = Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>');
    const { fileId } = await uploadFile(url, user, "logo.png", svg, { mimeType: "image/png" });
    const file = await waitForStatus(url, user, fileId, ["rejected", "ready"]);
    expect(file).toMatchObject({ status: "rejected", statusReason: "type_not_allowed" });
    expect(file.detectedMimeType).toMatch(/svg|xml/);
  });
});
