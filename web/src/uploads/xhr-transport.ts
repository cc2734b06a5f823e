import type { PutResult, Transport } from "./types";

/** A network failure of a part PUT (no HTTP answer at all). */
export class TransportError extends Error {
  override readonly name = "TransportError";
}

/**
 * Part PUTs over XMLHttpRequest, for its upload progress events (fetch has none for request
 * bodies). Sends the bytes and no header of ours: the URL is signed for the content length only.
 * The ETag comes back only if the bucket's CORS rules expose it.
 */
export function createXhrTransport(createRequest: () => XMLHttpRequest = () => new XMLHttpRequest()): Transport {
  return {
    put(url, body, onProgress, signal) {
      return new Promise<PutResult>((resolve, reject) => {
        if (signal.aborted) return reject(new DOMException("The part upload was aborted.", "AbortError"));
        const xhr = createRequest();
        const onAbort = () => xhr.abort();
        const settle = () => signal.removeEventListener("abort", onAbort);
        xhr.upload.onprogress = (event) => onProgress(event.loaded);
        xhr.onload = () => {
          settle();
          resolve({ status: xhr.status, etag: xhr.getResponseHeader("ETag") });
        };
        xhr.onerror = () => {
          settle();
          reject(new TransportError("The part upload failed (network error)."));
        };
        xhr.onabort = () => {
          settle();
          reject(new DOMException("The part upload was aborted.", "AbortError"));
        };
        signal.addEventListener("abort", onAbort, { once: true });
        xhr.open("PUT", url);
        xhr.send(body);
      });
    },
  };
}
