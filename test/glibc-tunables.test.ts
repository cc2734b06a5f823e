import { readFileSync } from "node:fs";
import path from "node:path";
import dotenv from "dotenv";

const root = path.join(__dirname, "..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

// GLIBC_TUNABLES acts only in the environment node starts with (docs/benchmarks.md, "download"):
// .env.example feeds npm start, the benches and a systemd EnvironmentFile; the image has its own ENV.
describe("GLIBC_TUNABLES", () => {
  it("keeps freed memory in .env.example and in the image alike", () => {
    const example = dotenv.parse(read(".env.example")).GLIBC_TUNABLES;
    const image = /^ENV GLIBC_TUNABLES=(\S+)$/m.exec(read("Dockerfile"))?.[1];
    expect(example).toMatch(/^glibc\.malloc\.trim_threshold=\d+$/);
    expect(image).toBe(example);
  });
});
