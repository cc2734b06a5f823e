/** Query keys of the account settings. */
export const accountKeys = {
  sessions: () => ["account", "sessions"] as const,
  notificationSettings: () => ["account", "notification-settings"] as const,
  webhooks: () => ["account", "webhooks"] as const,
  deliveries: (webhookId: string) => ["account", "webhooks", webhookId, "deliveries"] as const,
};
