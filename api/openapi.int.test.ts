import type Router from "@koa/router";
import { chromium } from "playwright-core";
import { createApp } from "./app";
import { apiPathOf } from "./route-table";
import type { AppDeps } from "./deps";
import { closeDeps, createTestDeps, startTestServer, type TestServer } from "../test/deps";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../test/chromium";

interface Document {
  openapi: string;
  paths: Record<
    string,
    Record<string, { operationId: string; responses: Record<string, unknown> }> & { servers?: unknown }
  >;
}

describe("the OpenAPI document and the reference page", () => {
  let deps: AppDeps;
  let server: TestServer;
  let document: Document;
  beforeAll(async () => {
    deps = await createTestDeps();
    server = await startTestServer(deps);
    document = (await (await fetch(`${server.url}/openapi.json`)).json()) as Document;
  });
  afterAll(async () => {
    await server.close();
    await closeDeps(deps);
  });

  it("is a valid OpenAPI 3.1 document", async () => {
    const { Validator } = await import("@seriousme/openapi-schema-validator");
    const validator = new Validator();
    const result = await validator.validate(document as never);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("documents every route the app serves, and serves every documented operation", () => {
    const app = createApp(deps);
    const routed = new Set<string>();
    for (const middleware of app.middleware) {
      const router = (middleware as { router?: Router }).router;
      for (const layer of router?.stack ?? []) {
        for (const method of layer.methods.filter((m) => m !== "HEAD"))
          routed.add(`${method} ${String(layer.path).replace(/:(\w+)/g, "{$1}")}`);
      }
    }
    // Paths are relative to the API's mount point, but for those the document serves from the root.
    const apiPath = apiPathOf(deps.config.API_URL);
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, item]) =>
        Object.keys(item)
          .filter((key) => key !== "servers")
          .map((method) => `${method.toUpperCase()} ${"servers" in item ? "" : apiPath}${path}`),
      ),
    );
    expect([...routed].sort()).toEqual([...documented].sort());
    expect(documented.size).toBeGreaterThan(40);
  });

  it("declares for every operation a success answer and the SPEC error body for each error", () => {
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(
        item as Record<string, { operationId: string; responses: Record<string, unknown> }>,
      ).filter(([key]) => key !== "servers")) {
        const statuses = Object.keys(op.responses).map(Number);
        expect({ op: `${method} ${path}`, success: statuses.some((s) => s < 400) }).toEqual({
          op: `${method} ${path}`,
          success: true,
        });
        // An error answers the error body, unless the operation declares a body of its own for it (GET /health's 503).
        for (const status of statuses.filter((s) => s >= 400)) {
          const { $ref } = (op.responses[status] as { content: Record<string, { schema: { $ref: string } }> }).content[
            "application/json"
          ].schema;
          expect([`${method} ${path} ${status}`, $ref]).toEqual([
            `${method} ${path} ${status}`,
            $ref.startsWith(`#/components/schemas/${op.operationId}`) ? $ref : "#/components/schemas/Error",
          ]);
        }
      }
    }
  });

  it("renders the reference in Chromium from our own files, with bearer auth", async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const outside: string[] = [];
      page.on("request", (request) => {
        if (!request.url().startsWith(server.url)) outside.push(request.url());
      });
      await page.goto(`${server.url}/docs`);
      await page.getByText("Coffer API").first().waitFor();
      await page.getByText("/files/uploads", { exact: true }).first().waitFor();
      await page.getByRole("button", { name: /Authorize/ }).click();
      await page.getByText("bearer (http, Bearer)").waitFor();
      expect(outside).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
