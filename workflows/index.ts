// Every workflow the worker runs is exported from here.
export { fileLifecycle, stepQuery } from "./file-lifecycle";
