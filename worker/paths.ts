import path from "node:path";

/** Where `pnpm build` writes the workflow bundle: dist/workflow-bundle.js. */
export const workflowBundlePath = path.resolve(__dirname, "..", "workflow-bundle.js");
