import { Anchor, Center, Paper, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";

/** The frame of the signed-out pages: a centred card with the product name. */
export function AuthCard({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={420} component="main">
        <Stack gap="md">
          <Text fw={700} size="lg" c="blue.8">
            Coffer
          </Text>
          <Title order={1} size="h2">
            {title}
          </Title>
          {children}
          {footer && (
            <Text size="sm" c="dimmed">
              {footer}
            </Text>
          )}
        </Stack>
      </Paper>
    </Center>
  );
}

export { Anchor };
