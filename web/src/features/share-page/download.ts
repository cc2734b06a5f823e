import { ApiError } from "../../lib/api/client";
import { API_BASE } from "../../lib/api/session";

/** The status each error code of POST /s/:token/download comes with (the frame shows the body, not the status). */
const statusOf: Record<string, number> = {
  password_required: 401,
  wrong_password: 401,
  not_found: 404,
  share_gone: 410,
  too_many_password_attempts: 429,
  too_many_downloads: 429,
  downloads_busy: 429,
  rate_limited: 429,
};

/** The API's error body shown in the frame, as an ApiError; null when the frame holds no such body. */
function frameError(frame: HTMLIFrameElement): ApiError | null {
  let text: string | null | undefined;
  try {
    const doc = frame.contentDocument;
    if (!doc || doc.URL === "about:blank") return null;
    text = doc.body?.textContent;
  } catch {
    // Not our origin: only storage could have answered there, and it answers a download.
    return null;
  }
  try {
    const body = JSON.parse(text ?? "") as { error?: { code?: string; message?: string; details?: unknown } };
    const code = body.error?.code ?? "http_error";
    const details = body.error?.details as { retryAfterSeconds?: number } | undefined;
    return new ApiError(
      statusOf[code] ?? 400,
      code,
      body.error?.message ?? "The download failed.",
      body.error?.details,
      details?.retryAfterSeconds,
    );
  } catch {
    return new ApiError(500, "http_error", "The download failed; try again in a moment.");
  }
}

let frames = 0;

/**
 * Downloads a shared file as the browser's own download: a form POST (the password as a form field)
 * into a hidden frame. A link with a download limit answers with the file as an attachment, streamed
 * by the API; a link with no limit answers 303 to a presigned GET of the file, which the browser
 * follows to storage. Either way the browser saves the file itself, at the connection's speed, with
 * nothing held in the page's memory, and the page stays where it is. An error (wrong password, link
 * gone, too many downloads) loads into the frame instead; it is read from there (the API is on the
 * page's origin) and given to `onError`, also when it comes late.
 *
 * Resolves once `settleMs` passed without an error answer: the browser has the download by then.
 * A plain form rather than fetch: the api client refreshes a session on 401, which would send a wrong
 * password twice, and a fetch would have to hold the bytes.
 */
export function downloadShare(options: {
  token: string;
  password: string;
  onError: (error: ApiError) => void;
  settleMs?: number;
}): Promise<"started" | "failed"> {
  const name = `share-download-${++frames}`;
  const frame = document.createElement("iframe");
  frame.name = name;
  frame.title = "Download";
  frame.hidden = true;
  frame.tabIndex = -1;
  document.body.append(frame);

  const form = document.createElement("form");
  form.method = "post";
  form.action = `${API_BASE}/s/${encodeURIComponent(options.token)}/download`;
  form.target = name;
  form.hidden = true;
  if (options.password) {
    const field = document.createElement("input");
    field.type = "hidden";
    field.name = "password";
    field.value = options.password;
    form.append(field);
  }
  document.body.append(form);

  return new Promise((resolve) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      resolve("started");
      // The frame stays a while for an error that is late; a download never loads into it.
      setTimeout(() => frame.remove(), 60_000);
    }, options.settleMs ?? 2500);
    frame.addEventListener("load", () => {
      const error = frameError(frame);
      if (!error) return;
      clearTimeout(timer);
      frame.remove();
      options.onError(error);
      if (!settled) resolve("failed");
    });
    form.submit();
    form.remove();
  });
}
