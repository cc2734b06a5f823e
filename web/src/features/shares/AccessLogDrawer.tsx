import { Alert, Button, Center, Drawer, Group, Loader, Stack, Text } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import { api, errorMessage, unwrap } from "../../lib/api/client";
import { formatBytes, formatDate } from "../../lib/format";
import { shareKeys } from "./share-keys";
import { fileName, type Share } from "./share-model";

function AccessLog({ share }: { share: Share }) {
  const log = useInfiniteQuery({
    queryKey: shareKeys.accessLog(share.id),
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET("/shares/{id}", {
          params: {
            path: { id: share.id },
            query: { limit: 100, ...(pageParam === null ? {} : { before: pageParam }) },
          },
        }),
      ),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextBefore,
  });
  if (log.isPending) {
    return (
      <Center p="lg">
        <Loader aria-label="Loading the access log" />
      </Center>
    );
  }
  if (log.isError) {
    return (
      <Alert color="red" role="alert">
        {errorMessage(log.error)}
      </Alert>
    );
  }
  const downloads = log.data.pages.flatMap((page) => page.downloads);
  const count = log.data.pages[0].share.downloadCount;
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {downloads.length === 0
          ? "Nobody has downloaded the file through this link yet."
          : `${count} ${count === 1 ? "download" : "downloads"}, newest first.`}
      </Text>
      <Stack component="ol" gap="xs" p={0} m={0} style={{ listStyle: "none" }} aria-label="Downloads">
        {downloads.map((download) => (
          <Stack
            key={download.id}
            component="li"
            gap={2}
            pb="xs"
            style={{ borderBottom: "1px solid var(--mantine-color-default-border)" }}
          >
            <Group justify="space-between" gap="xs">
              <Text size="sm" fw={600}>
                {formatDate(download.at)}
              </Text>
              <Text size="sm">{formatBytes(download.bytes)}</Text>
            </Group>
            <Text size="sm">IP {download.ip ?? "unknown"}</Text>
            <Text size="xs" c="dimmed" style={{ overflowWrap: "anywhere" }}>
              {download.userAgent ?? "No user agent"}
            </Text>
          </Stack>
        ))}
      </Stack>
      {log.hasNextPage && (
        <Button variant="default" loading={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          Older downloads
        </Button>
      )}
    </Stack>
  );
}

/** Who downloaded through a link: when, from which address and browser, how many bytes. */
export function AccessLogDrawer({ share, onClose }: { share: Share | null; onClose: () => void }) {
  return (
    <Drawer
      opened={share !== null}
      onClose={onClose}
      position="right"
      closeButtonProps={{ "aria-label": "Close" }}
      title={share ? `Access log: ${fileName(share)}` : "Access log"}
    >
      {share && <AccessLog share={share} />}
    </Drawer>
  );
}
