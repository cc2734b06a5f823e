/** Two projects: unit tests need no services; integration tests run against the local stack. */
const transform = { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] };
const common = {
  transform,
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
      testTimeout: 60000,
    },
  ],
};
