/** Two projects: unit tests need no services; integration tests run against the local stack. */
const transform = { "^.+\\.(ts|js)$": ["@swc/jest", { jsc: { target: "es2022" } }] };
const common = {
  transform,
  // jose and the OpenAPI validator ship only ES modules: compile them to CommonJS like our own code.
  transformIgnorePatterns: [
    "/node_modules/(?!(\\.pnpm/jose@|jose/|\\.pnpm/@seriousme\\+openapi-schema-validator@|@seriousme/openapi-schema-validator/))",
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
