// A workflow used only to prove the worker plumbing against the dev server.
import { proxyActivities } from "@temporalio/workflow";
import type * as activities from "../greeting-activities";

const { greet } = proxyActivities<typeof activities>({ startToCloseTimeout: "10 seconds" });

export async function greeting(name: string): Promise<string> {
  return greet(name);
}
