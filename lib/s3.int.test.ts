import { getConfig, resetConfig } from "./config";
import { Storage } from "./s3";
import { type UrlSigner, urlSignerFromConfig } from "./s3-url-signer";

describe("Storage and its URL signer against the local S3", () => {
  let storage: Storage;
  let urls: UrlSigner;
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
    urls = urlSignerFromConfig(config);
  });
  afterAll(() => {
    storage.destroy();
    urls.destroy();
  });

  it("serves stored bytes through a presigned GET that saves them under the file's name", async () => {
    const key = `test/presign-${Date.now()}.txt`;
    const body = "hello from a presigned URL ✓";
    await storage.putObject(key, Buffer.from(body), "text/plain");

    const get = await fetch(await urls.download(key, 60, "résumé.txt"));
    expect(get.status).toBe(200);
    expect(await get.text()).toBe(body);
    expect(get.headers.get("content-disposition")).toContain("filename*=UTF-8''r%C3%A9sum%C3%A9.txt");
  });

  it("refuses a presigned URL whose signature was tampered with", async () => {
    const url = new URL(await urls.download("test/anything", 60));
    url.searchParams.set("X-Amz-Signature", "0".repeat(64));
    expect((await fetch(url)).status).toBe(403);
  });
});
