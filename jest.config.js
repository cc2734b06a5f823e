/** Two projects: unit tests need no services; integration tests run against the local stack. */
const transform = { "^.+\\.(ts|js)$": ["@swc/jest", { jsc: { target: "es2022" } }] };
const common = {
  transform,
  // jose, the OpenAPI validator and file-type (with its tokenizer packages) ship only ES modules:
  // compile them to CommonJS like our own code.
  transformIgnorePatterns: [
    "/node_modules/(?!(\\.pnpm/jose@|jose/|\\.pnpm/@seriousme\\+openapi-schema-validator@|@seriousme/openapi-schema-validator/|" +
      "\\.pnpm/(file-type|strtok3|token-types|uint8array-extras|@tokenizer\\+inflate|@borewit\\+text-codec)@|" +
      "(file-type|strtok3|token-types|uint8array-extras|@tokenizer/inflate|@borewit/text-codec)/))",
  ],
  testEnvironment: "node",
  roots: ["<rootDir>"],
  modulePathIgnorePatterns: ["<rootDir>/dist/", "<rootDir>/.data/"],
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: "unit",
      testMatch: ["**/*.test.ts"],
      testPathIgnorePatterns: ["/node_modules/", "\\.int\\.test\\.ts$"],
    },
    {
      ...common,
      displayName: "integration",
      testMatch: ["**/*.int.test.ts"],
      setupFiles: ["<rootDir>/test/int-env.ts"],
    },
  ],
};
