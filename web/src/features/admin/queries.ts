import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../lib/api/client";
import type { paths } from "../../lib/api/schema";

const DAY = 24 * 3600 * 1000;

/** The analytics range: the last `days` UTC days, today included. */
export type RangeDays = 7 | 30 | 90;

function rangeOf(days: RangeDays) {
  const today = new Date();
  today.setUTCHours(0, 0, 0, 0);
  return { from: new Date(today.getTime() - (days - 1) * DAY).toISOString(), to: new Date().toISOString() };
}

export const adminKeys = {
  all: () => ["admin"] as const,
  settings: () => ["admin", "settings"] as const,
  analyticsAll: () => ["admin", "analytics"] as const,
  analytics: (days: RangeDays) => ["admin", "analytics", days] as const,
  queue: () => ["admin", "queue"] as const,
  health: () => ["admin", "health"] as const,
  users: () => ["admin", "users"] as const,
  plans: () => ["admin", "plans"] as const,
  concurrency: () => ["admin", "concurrency"] as const,
};

export type AdminHealth = paths["/admin/health"]["get"]["responses"][200]["content"]["application/json"];
export type AdminUser = paths["/admin/users"]["get"]["responses"][200]["content"]["application/json"]["users"][number];
export type CleanupResult = paths["/admin/uploads/cleanup"]["post"]["responses"][200]["content"]["application/json"];
export type AdminSettings = paths["/admin/settings"]["get"]["responses"][200]["content"]["application/json"];
export type UserChanges = NonNullable<
  paths["/admin/users/{id}"]["patch"]["requestBody"]
>["content"]["application/json"];

export type Plan = paths["/admin/plans"]["get"]["responses"][200]["content"]["application/json"]["plans"][number];
export type PlanLimits = NonNullable<paths["/admin/plans"]["post"]["requestBody"]>["content"]["application/json"];
export type UploadConcurrency =
  paths["/admin/uploads/concurrency"]["get"]["responses"][200]["content"]["application/json"];

/** Where the Temporal Web UI is; a non-admin gets 404 here, which the page shows as "Not found". */
export function useAdminSettings() {
  return useQuery({
    queryKey: adminKeys.settings(),
    queryFn: async () => unwrap(await api.GET("/admin/settings")),
    staleTime: Infinity,
  });
}

/** Totals, daily series, failures and top users of one range, asked at once. */
export function useUploadAnalytics(days: RangeDays) {
  return useQuery({
    queryKey: adminKeys.analytics(days),
    placeholderData: keepPreviousData,
    queryFn: async () => {
      const query = rangeOf(days);
      const [totals, daily, failures, topUsers] = await Promise.all([
        api.GET("/admin/analytics/uploads", { params: { query } }).then(unwrap),
        api.GET("/admin/analytics/uploads/daily", { params: { query } }).then(unwrap),
        api.GET("/admin/uploads/failures", { params: { query } }).then(unwrap),
        api.GET("/admin/uploads/top-users", { params: { query: { ...query, limit: 10 } } }).then(unwrap),
      ]);
      return { totals, days: daily.days, failures, topUsers: topUsers.users };
    },
  });
}

export function useUploadQueue() {
  return useQuery({
    queryKey: adminKeys.queue(),
    queryFn: async () => unwrap(await api.GET("/admin/analytics/uploads/queue")),
    refetchInterval: 5000,
  });
}

/** The health checks; a 503 carries the same body (some check is down), so it is data, not an error. */
export function useAdminHealth() {
  return useQuery({
    queryKey: adminKeys.health(),
    refetchInterval: 30_000,
    queryFn: async (): Promise<AdminHealth> => {
      const result = await api.GET("/admin/health");
      // The generated types give a 503 the error body's type; /admin/health answers it with the health body.
      if (result.response.status === 503 && result.error) return result.error as unknown as AdminHealth;
      return unwrap(result);
    },
  });
}

export function useAdminUsers() {
  return useInfiniteQuery({
    queryKey: adminKeys.users(),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(await api.GET("/admin/users", { params: { query: { limit: 20, cursor: pageParam } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, changes }: { id: string; changes: UserChanges }) =>
      unwrap(await api.PATCH("/admin/users/{id}", { params: { path: { id } }, body: changes })).user,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminKeys.users() }),
  });
}

/** A cleanup run (or its dry run); a real run changes the queue and the analytics too. */
export function useCleanup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (dryRun: boolean) => unwrap(await api.POST("/admin/uploads/cleanup", { body: { dryRun } })),
    onSuccess: async (_result, dryRun) => {
      if (dryRun) return;
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: adminKeys.queue() }),
        queryClient.invalidateQueries({ queryKey: adminKeys.analyticsAll() }),
        queryClient.invalidateQueries({ queryKey: adminKeys.users() }),
      ]);
    },
  });
}

/** The FileLifecycle workflow of a file in the Temporal Web UI. */
export function workflowUrl(settings: AdminSettings, workflowId: string): string {
  return `${settings.temporalUiUrl}/namespaces/${encodeURIComponent(settings.temporalNamespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

export function usePlans() {
  return useQuery({ queryKey: adminKeys.plans(), queryFn: async () => unwrap(await api.GET("/admin/plans")).plans });
}

/** Creates a plan (no id) or changes one; a plan's new quota moves its users' quotas too. */
export function useSavePlan() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, limits }: { id?: string; limits: PlanLimits }) =>
      id
        ? unwrap(await api.PATCH("/admin/plans/{id}", { params: { path: { id } }, body: limits })).plan
        : unwrap(await api.POST("/admin/plans", { body: limits })).plan,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: adminKeys.plans() }),
        queryClient.invalidateQueries({ queryKey: adminKeys.users() }),
      ]),
  });
}

export function useUploadConcurrency() {
  return useQuery({
    queryKey: adminKeys.concurrency(),
    queryFn: async () => unwrap(await api.GET("/admin/uploads/concurrency")),
    refetchInterval: 10_000,
  });
}

/** Aborts a user's open uploads: their slots and reservations are freed. */
export function useClearUploadSlots() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (userId: string) =>
      unwrap(await api.DELETE("/admin/uploads/concurrency/{userId}", { params: { path: { userId } } })),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: adminKeys.concurrency() }),
        queryClient.invalidateQueries({ queryKey: adminKeys.users() }),
        queryClient.invalidateQueries({ queryKey: adminKeys.queue() }),
      ]),
  });
}
