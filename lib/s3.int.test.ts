import { getConfig, resetConfig } from "./config";
import { Storage } from "./s3";

describe("Storage against the local S3", () => {
  let storage: Storage;
  beforeAll(() => {
    resetConfig();
    const config = getConfig();
    storage = new Storage({
      endpoint: config.S3_ENDPOINT,
      region: config.S3_REGION,
      accessKeyId: config.S3_ACCESS_KEY,
      secretAccessKey: config.S3_SECRET_KEY,
      bucket: config.S3_BUCKET,
    });
  });
  afterAll(() => storage.destroy());

  it("stores bytes through a presigned PUT and serves them through a presigned GET", async () => {
    const key = `test/presign-${Date.now()}.txt`;
    const body = "hello from a presigned URL ✓";

    const put = await fetch(await storage.presignPut(key, 60), { method: "PUT", body });
    expect(put.status).toBe(200);
    expect(put.headers.get("etag")).toMatch(/^"[0-9a-f]+"$/);

    const get = await fetch(await storage.presignGet(key, 60, "résumé.txt"));
    expect(get.status).toBe(200);
    expect(await get.text()).toBe(body);
    expect(get.headers.get("content-disposition")).toContain("filename*=UTF-8''r%C3%A9sum%C3%A9.txt");
  });

  it("refuses a presigned URL whose signature was tampered with", async () => {
    const url = new URL(await storage.presignGet("test/anything", 60));
    url.searchParams.set("X-Amz-Signature", "0".repeat(64));
    expect((await fetch(url)).status).toBe(403);
  });
});
