import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import type { Next } from "koa";
import type { AppContext } from "./context";

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".json": "application/json",
  ".map": "application/json",
  ".txt": "text/plain; charset=utf-8",
};

async function fileAt(file: string): Promise<string | null> {
  const info = await stat(file).catch(() => null);
  return info?.isFile() ? file : null;
}

/**
 * Serves the built web client (web/dist) for GET and HEAD requests outside the API: a file when one
 * matches the path, else index.html so the client's router shows the page (SPA fallback). Built
 * assets carry a content hash in their names, so browsers may keep them for good; index.html is
 * asked for again each time.
 */
export function webClient(options: { distDir: string; apiPath: string; rootPaths: string[] }) {
  const root = path.resolve(options.distDir);
  const isApi = (p: string) =>
    (options.apiPath && (p === options.apiPath || p.startsWith(`${options.apiPath}/`))) ||
    options.rootPaths.includes(p);
  return async (ctx: AppContext, next: Next) => {
    if ((ctx.method !== "GET" && ctx.method !== "HEAD") || isApi(ctx.path)) return next();
    let decoded: string;
    try {
      decoded = decodeURIComponent(ctx.path);
    } catch {
      return next();
    }
    const wanted = path.join(root, path.normalize(decoded));
    const file =
      (wanted.startsWith(root + path.sep) && (await fileAt(wanted))) || (await fileAt(path.join(root, "index.html")));
    if (!file) return next();
    ctx.type = types[path.extname(file)] ?? "application/octet-stream";
    ctx.set(
      "Cache-Control",
      file.includes(`${path.sep}assets${path.sep}`) ? "public, max-age=31536000, immutable" : "no-cache",
    );
    ctx.body = createReadStream(file);
  };
}
