/** Query keys of server state the whole app shares; each feature keeps its own next to its hooks. */
export const meKeys = {
  me: () => ["me"] as const,
};
