// @ts-check
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";
import { builtinModules } from "node:module";

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", ".data/", "coverage/", "**/*.js", "**/*.mjs", "web/src/lib/api/schema.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    // The web client runs in browsers; code by feature, and features never import each other
    // (shared pieces live in src/components and src/lib, pages are put together in src/app).
    files: ["web/src/**/*.ts", "web/src/**/*.tsx"],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ["web/src/features/**/*.ts", "web/src/features/**/*.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^\\.\\./(?!\\.\\.)[^/]+/",
              message: "Features do not import each other: move the shared piece to src/components or src/lib.",
            },
          ],
        },
      ],
    },
  },
  {
    // Activities reach the database through db commands only; models may be named as types.
    files: ["activities/**/*.ts"],
    ignores: ["activities/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["../db/models", "../db/models/*"],
              allowTypeImports: true,
              message: "Activities use db commands (db/commands/**), not models; `import type` is fine.",
            },
          ],
        },
      ],
    },
  },
  {
    // Workflow code is replayed deterministically inside Temporal's sandbox: no Node built-ins,
    // and activities are only imported as types.
    files: ["workflows/**/*.ts"],
    // Tests beside the workflows run in Node, not in the workflow sandbox.
    ignores: ["workflows/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: nodeBuiltins.map((name) => ({ name, message: "Workflows must not use Node built-ins." })),
          patterns: [
            {
              group: ["../activities", "../activities/*"],
              allowTypeImports: true,
              message: "Import activities with `import type` only.",
            },
          ],
        },
      ],
    },
  },
);
