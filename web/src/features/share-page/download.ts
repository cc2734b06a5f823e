import { ApiError } from "../../lib/api/client";
import { API_BASE } from "../../lib/api/session";

/** The name in `filename*=UTF-8''…` (RFC 6266), else `fallback`. */
export function attachmentName(header: string | null, fallback: string): string {
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header ?? "")?.[1];
  if (!encoded) return fallback;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return fallback;
  }
}

async function apiError(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as {
    error?: { code?: string; message?: string; details?: unknown };
  } | null;
  const retryAfter = Number(response.headers.get("Retry-After")) || undefined;
  return new ApiError(
    response.status,
    body?.error?.code ?? "http_error",
    body?.error?.message ?? `The server answered ${response.status}.`,
    body?.error?.details,
    retryAfter,
  );
}

/**
 * Downloads a shared file: POST with the password, the answer's bytes gathered into a Blob, then saved
 * by the browser through an `<a download>`. An answer that is not 200 throws an ApiError with the
 * server's code and message, so a wrong password or a gone link never leaves the page. The whole
 * file passes through memory (docs/web.md, "Shares and the public page").
 *
 * Plain fetch rather than the api client: the client refreshes a session on 401, which would send a
 * wrong password twice.
 */
export async function downloadShare(options: {
  token: string;
  password: string;
  fallbackName: string;
  onProgress: (received: number, total: number) => void;
}): Promise<string> {
  const response = await fetch(`${API_BASE}/s/${encodeURIComponent(options.token)}/download`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(options.password ? { password: options.password } : {}),
  });
  if (!response.ok || !response.body) throw await apiError(response);
  const total = Number(response.headers.get("Content-Length")) || 0;
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    options.onProgress(received, total);
  }
  const name = attachmentName(response.headers.get("Content-Disposition"), options.fallbackName);
  const url = URL.createObjectURL(
    new Blob(chunks as BlobPart[], { type: response.headers.get("Content-Type") ?? "application/octet-stream" }),
  );
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the bytes once the save began; give it time before the memory is freed.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}
