import { DefaultLogger, Runtime } from "@temporalio/worker";

let installed = false;

/** The SDK's runtime with warnings only, installed once per test process before any connection. */
export function installTestRuntime(): void {
  if (installed) return;
  installed = true;
  try {
    Runtime.install({ logger: new DefaultLogger("WARN") });
  } catch {
    // Another test file in this process installed it already.
  }
}
