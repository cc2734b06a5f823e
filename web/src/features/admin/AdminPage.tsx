import { Alert, Loader, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { ApiError, errorMessage } from "../../lib/api/client";
import { AnalyticsSection } from "./AnalyticsSection";
import { CleanupSection } from "./CleanupSection";
import { ConcurrencySection } from "./ConcurrencySection";
import { PlansSection } from "./PlansSection";
import { useAdminSettings } from "./queries";
import { HealthSection, QueueSection } from "./QueueHealthSection";
import { UsersSection } from "./UsersSection";
import { WorkflowLinkSection } from "./WorkflowLinkSection";

/** /admin: analytics, queue, health, users, plans, upload concurrency, cleanup. The API answers 404 to anyone but an admin. */
export default function AdminPage() {
  const settings = useAdminSettings();
  if (settings.isPending) return <Loader aria-label="Loading" />;
  if (settings.error instanceof ApiError && settings.error.status === 404) {
    return (
      <Stack gap="xs">
        <Title order={1}>Not found</Title>
        <Text c="dimmed">There is nothing at this address.</Text>
      </Stack>
    );
  }
  if (settings.error) {
    return (
      <Alert color="red" role="alert">
        {errorMessage(settings.error)}
      </Alert>
    );
  }
  return (
    <Stack gap="xl" maw={1200}>
      <Title order={1}>Admin</Title>
      <AnalyticsSection />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <QueueSection />
        <HealthSection />
      </SimpleGrid>
      <UsersSection />
      <PlansSection />
      <ConcurrencySection />
      <CleanupSection settings={settings.data} />
      <WorkflowLinkSection settings={settings.data} />
    </Stack>
  );
}
