/** Build step: bundles workflows/ once so production workers start without webpack. */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { DefaultLogger, bundleWorkflowCode } from "@temporalio/worker";
import { workflowBundlePath } from "./paths";

async function main() {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve("../workflows"),
    // webpack's module listing is noise in a build log; warnings and errors still show.
    logger: new DefaultLogger("WARN"),
  });
  await writeFile(workflowBundlePath, code);
  console.log(`workflow bundle written to ${path.relative(process.cwd(), workflowBundlePath)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
