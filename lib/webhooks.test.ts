import { WebhookReceiver } from "../test/webhook-receiver";
import {
  checkWebhookUrl,
  isForbiddenAddress,
  postWebhook,
  signWebhook,
  verifyWebhookSignature,
  WebhookUrlError,
} from "./webhooks";

// HMAC-SHA256 of `1700000000.{"a":1}` under the key s3cret, computed with openssl.
const OPENSSL = "1698a50bc74d1ff1db85c4e0a5297c2ad9fdba245d5737cdb789e4cc6e098940";

describe("webhook signatures", () => {
  it("signs t.body with HMAC-SHA256 and verifies only the same secret, body and a fresh timestamp", () => {
    const header = signWebhook("s3cret", '{"a":1}', 1_700_000_000);
    // The same as `printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac s3cret`.
    expect(header).toBe(`t=1700000000,v1=${OPENSSL}`);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature("s3cret", '{"a":1}', header, 1_700_000_100)).toBe(true);
    expect(verifyWebhookSignature("s3cret", '{"a":2}', header, 1_700_000_100)).toBe(false);
    expect(verifyWebhookSignature("other", '{"a":1}', header, 1_700_000_100)).toBe(false);
    expect(verifyWebhookSignature("s3cret", '{"a":1}', header, 1_700_001_000)).toBe(false);
    expect(verifyWebhookSignature("s3cret", '{"a":1}', "t=x,v1=zz", 1_700_000_000)).toBe(false);
  });
});

describe("the SSRF guard", () => {
  it("forbids loopback, private, link-local, metadata and reserved addresses, v4, v6 and v4-mapped", () => {
    for (const address of [
      "127.0.0.1",
      "127.8.9.10",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.0.10",
      "169.254.169.254",
      "100.100.100.200",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "::1",
      "::",
      "fe80::1",
      "fd00:ec2::254",
      "fc00::5",
      "::ffff:127.0.0.1",
      "::ffff:10.0.0.1",
      "not an address",
    ]) {
      expect({ address, forbidden: isForbiddenAddress(address) }).toEqual({ address, forbidden: true });
    }
    for (const address of ["93.184.215.14", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8"]) {
      expect({ address, forbidden: isForbiddenAddress(address) }).toEqual({ address, forbidden: false });
    }
  });

  it("checks what a URL's host resolves to, and refuses other schemes and credentials", async () => {
    await expect(checkWebhookUrl("http://localhost:9/x", false)).rejects.toThrow(WebhookUrlError);
    await expect(checkWebhookUrl("http://0x7f000001/", false)).rejects.toThrow(/loopback, private/);
    await expect(checkWebhookUrl("http://[::1]/", false)).rejects.toThrow(WebhookUrlError);
    await expect(checkWebhookUrl("ftp://example.com/", false)).rejects.toThrow(/http or https/);
    await expect(checkWebhookUrl("http://user:pw@localhost/", true)).rejects.toThrow(/credentials/);
    expect(await checkWebhookUrl("http://localhost:9/x", true)).toContain("127.0.0.1");
    expect(await checkWebhookUrl("http://8.8.8.8/x", false)).toEqual(["8.8.8.8"]);
  });

  it("never connects to a forbidden address at delivery, by name or by literal", async () => {
    const receiver = await new WebhookReceiver().start();
    try {
      const event = { id: "evt_1", type: "file.ready" as const, at: new Date().toISOString(), data: {} };
      const common = { secret: "s", event, deliveryId: "d", timeoutMs: 2000, userAgent: "test" };
      const byName = await postWebhook({
        ...common,
        url: `http://localhost:${receiver.port}/hook`,
        allowPrivate: false,
      });
      expect(byName).toMatchObject({ ok: false, statusCode: null, error: expect.stringMatching(/forbidden/) });
      const byLiteral = await postWebhook({ ...common, url: receiver.url, allowPrivate: false });
      expect(byLiteral).toMatchObject({ ok: false, statusCode: null, error: expect.stringMatching(/forbidden/) });
      expect(receiver.received).toHaveLength(0);
      const allowed = await postWebhook({
        ...common,
        url: `http://localhost:${receiver.port}/hook`,
        allowPrivate: true,
      });
      expect(allowed).toMatchObject({ ok: true, statusCode: 204, error: null });
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.stop();
    }
  });
});
