import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createUser, testPassword } from "./factories";
import { startFilesTestbed, type FilesTestbed } from "./files-testbed";

const run = promisify(execFile);

/** The shell blocks of docs/api.md's walk-through, in order, exactly as a reader copies them. */
async function walkthrough(): Promise<string> {
  const markdown = await readFile(path.resolve(__dirname, "..", "docs", "api.md"), "utf8");
  const section = markdown.slice(markdown.indexOf("## Walk-through"));
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]);
  return blocks.join("\n");
}

describe("docs/api.md's curl walk-through", () => {
  let bed: FilesTestbed;
  let dir: string;
  beforeAll(async () => {
    bed = await startFilesTestbed();
    dir = await mkdtemp(path.join(tmpdir(), "coffer-walkthrough-"));
  });
  afterAll(async () => {
    await bed.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("uploads, shares and downloads a file exactly as written", async () => {
    const { user } = await createUser(bed.deps);
    const script = await walkthrough();
    expect(script).toContain("curl");
    const { stdout } = await run("bash", ["-euo", "pipefail", "-c", script], {
      cwd: dir,
      env: { ...process.env, API: bed.server.url, EMAIL: user.email, PASSWORD: testPassword },
      timeout: 120_000,
    });
    expect(stdout).toContain("downloaded the same bytes");
    // The limit of one download holds: the second try answers 410.
    expect(stdout.trim().split("\n").at(-1)).toBe("410");
  });
});
