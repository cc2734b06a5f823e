import { Divider, Stack, Title } from "@mantine/core";
import { DeleteAccountSection } from "./DeleteAccountSection";
import { NotificationSettingsSection } from "./NotificationSettingsSection";
import { PasswordSection } from "./PasswordSection";
import { ProfileSection } from "./ProfileSection";
import { SessionsSection } from "./SessionsSection";
import { WebhooksSection } from "./WebhooksSection";

/** /settings: profile, password, sessions, notifications, webhooks and account deletion, one section each. */
export default function SettingsPage() {
  return (
    <Stack gap="lg" maw={760}>
      <Title order={1}>Settings</Title>
      <ProfileSection />
      <Divider />
      <PasswordSection />
      <Divider />
      <SessionsSection />
      <Divider />
      <NotificationSettingsSection />
      <Divider />
      <WebhooksSection />
      <Divider />
      <DeleteAccountSection />
    </Stack>
  );
}
