import { TransportError, createXhrTransport } from "./xhr-transport";

/** Just enough of XMLHttpRequest to watch what the transport does with it. */
class FakeXhr {
  readonly upload: { onprogress: ((event: { loaded: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  status = 0;
  opened: [string, string] | null = null;
  sent: unknown = undefined;
  headersSet: string[] = [];
  responseHeaders: Record<string, string> = {};
  aborted = false;

  open(method: string, url: string) {
    this.opened = [method, url];
  }
  setRequestHeader(name: string) {
    this.headersSet.push(name);
  }
  send(body: unknown) {
    this.sent = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  getResponseHeader(name: string): string | null {
    return this.responseHeaders[name.toLowerCase()] ?? null;
  }
}

function transportWithFake() {
  const xhr = new FakeXhr();
  // The fake implements only what the transport uses, not all of XMLHttpRequest's surface.
  const transport = createXhrTransport(() => xhr as unknown as XMLHttpRequest);
  return { xhr, transport };
}

describe("XHR transport", () => {
  it("PUTs the bytes with no header of its own, reports progress and reads the ETag", async () => {
    const { xhr, transport } = transportWithFake();
    const body = new Blob(["abcd"]);
    const progress: number[] = [];

    const put = transport.put(
      "https://storage.test/f1/1?sig=x",
      body,
      (loaded) => progress.push(loaded),
      new AbortController().signal,
    );
    xhr.upload.onprogress?.({ loaded: 2 });
    xhr.upload.onprogress?.({ loaded: 4 });
    xhr.status = 200;
    xhr.responseHeaders.etag = '"abc"';
    xhr.onload?.();

    await expect(put).resolves.toEqual({ status: 200, etag: '"abc"' });
    expect(xhr.opened).toEqual(["PUT", "https://storage.test/f1/1?sig=x"]);
    expect(xhr.sent).toBe(body);
    expect(xhr.headersSet).toEqual([]);
    expect(progress).toEqual([2, 4]);
  });

  it("resolves with storage's error status rather than throwing", async () => {
    const { xhr, transport } = transportWithFake();
    const put = transport.put(
      "https://storage.test/f1/1",
      new Blob(["a"]),
      () => undefined,
      new AbortController().signal,
    );
    xhr.status = 403;
    xhr.onload?.();
    await expect(put).resolves.toEqual({ status: 403, etag: null });
  });

  it("rejects on a network failure, and aborts the request when the signal aborts", async () => {
    const failing = transportWithFake();
    const failed = failing.transport.put(
      "https://storage.test/f1/1",
      new Blob(["a"]),
      () => undefined,
      new AbortController().signal,
    );
    failing.xhr.onerror?.();
    await expect(failed).rejects.toBeInstanceOf(TransportError);

    const aborting = transportWithFake();
    const controller = new AbortController();
    const aborted = aborting.transport.put(
      "https://storage.test/f1/1",
      new Blob(["a"]),
      () => undefined,
      controller.signal,
    );
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: "AbortError" });
    expect(aborting.xhr.aborted).toBe(true);
  });
});
