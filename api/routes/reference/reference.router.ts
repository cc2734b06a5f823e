import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { notFound } from "../../../lib/domain-errors";
import { type Operation, operation } from "../../route-table";

const swaggerUi = path.dirname(require.resolve("swagger-ui-dist/package.json"));

/** The page and its files, all served from our own dependencies (no CDN). */
const assets: Record<string, { type: string; load: () => Promise<string | Buffer> }> = {
  "swagger-ui.css": { type: "text/css", load: () => readFile(path.join(swaggerUi, "swagger-ui.css")) },
  "swagger-ui-bundle.js": {
    type: "text/javascript",
    load: () => readFile(path.join(swaggerUi, "swagger-ui-bundle.js")),
  },
  "init.js": {
    type: "text/javascript",
    load: async () =>
      `window.ui = SwaggerUIBundle({ url: "openapi.json", dom_id: "#reference", deepLinking: true, persistAuthorization: true, tryItOutEnabled: true });\n`,
  },
};

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Coffer API reference</title>
<link rel="stylesheet" href="docs/assets/swagger-ui.css">
</head>
<body>
<div id="reference"></div>
<script src="docs/assets/swagger-ui-bundle.js"></script>
<script src="docs/assets/init.js"></script>
</body>
</html>
`;

/** GET /openapi.json and the interactive reference at GET /docs, both from the route table. */
export function referenceRoutes(apiDocument: (serverUrl: string) => unknown): Operation[] {
  let document: unknown;
  return [
    operation({
      operationId: "getOpenApiDocument",
      method: "get",
      path: "/openapi.json",
      summary: "This document: OpenAPI 3.1, generated from the schemas that validate requests and shape responses",
      tag: "reference",
      auth: "public",
      responses: { 200: { description: "The document", mediaType: "application/json" } },
      handler: async (ctx) => {
        document ??= apiDocument(ctx.deps.config.API_URL);
        ctx.type = "application/json";
        ctx.body = JSON.stringify(document);
      },
    }),
    operation({
      operationId: "getApiReference",
      method: "get",
      path: "/docs",
      summary: "The interactive reference (Swagger UI): authorize with a bearer access token and try each operation",
      tag: "reference",
      auth: "public",
      responses: { 200: { description: "An HTML page", mediaType: "text/html" } },
      handler: async (ctx) => {
        ctx.type = "text/html";
        ctx.body = page;
      },
    }),
    operation({
      operationId: "getApiReferenceAsset",
      method: "get",
      path: "/docs/assets/:file",
      summary: "Files of the reference page",
      tag: "reference",
      auth: "public",
      input: z.object({ params: z.object({ file: z.string().max(64) }) }),
      responses: { 200: { description: "The file", mediaType: "application/octet-stream" } },
      errors: [[404, "not_found"]],
      handler: async (ctx) => {
        const asset = Object.hasOwn(assets, ctx.input.params.file) ? assets[ctx.input.params.file] : undefined;
        if (!asset) throw notFound("file");
        ctx.type = asset.type;
        ctx.set("Cache-Control", "public, max-age=3600");
        ctx.body = await asset.load();
      },
    }),
  ];
}
