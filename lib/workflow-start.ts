import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  type WorkflowHandleWithFirstExecutionRunId,
  type WorkflowStartOptions,
} from "@temporalio/client";
import type * as workflows from "../workflows";

// Only types come from workflows/: the API and the activities start workflows by name, checked
// against the functions the worker registers, without loading workflow code.
type Workflows = typeof workflows;

/** The name of every workflow the worker registers: each function exported by workflows/index.ts. */
export type WorkflowName = {
  [K in keyof Workflows]: Workflows[K] extends (...args: never[]) => Promise<unknown> ? K : never;
}[keyof Workflows];
export type WorkflowFn<N extends WorkflowName> = Workflows[N];
export type WorkflowArgs<N extends WorkflowName> = Parameters<Workflows[N]>;
export type WorkflowResult<N extends WorkflowName> = Awaited<ReturnType<Workflows[N]>>;

/** Starts workflow `name`; its args and result are typed by the workflow function. */
export function startWorkflow<N extends WorkflowName>(
  client: Client,
  name: N,
  options: WorkflowStartOptions<WorkflowFn<N>>,
): Promise<WorkflowHandleWithFirstExecutionRunId<WorkflowFn<N>>> {
  return client.workflow.start<WorkflowFn<N>>(name, options);
}

/** Starts workflow `name` and waits for its result. */
export function executeWorkflow<N extends WorkflowName>(
  client: Client,
  name: N,
  options: WorkflowStartOptions<WorkflowFn<N>>,
): Promise<WorkflowResult<N>> {
  return client.workflow.execute<WorkflowFn<N>>(name, options) as Promise<WorkflowResult<N>>;
}

/**
 * Starts workflow `name` unless a run with the same workflow id is open (or, with the id reuse
 * policy the caller passes, already finished). False when it was not started: a second start is
 * harmless, so two API processes or two workers that start the same business id never run it twice.
 */
export async function startOnce<N extends WorkflowName>(
  client: Client,
  name: N,
  options: WorkflowStartOptions<WorkflowFn<N>>,
): Promise<boolean> {
  try {
    await startWorkflow(client, name, options);
    return true;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw error;
  }
}
