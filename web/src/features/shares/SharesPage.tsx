import { Alert, Button, Center, Group, Loader, Stack, Text, Title } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { api, errorMessage, unwrap } from "../../lib/api/client";
import { AccessLogDrawer } from "./AccessLogDrawer";
import { CreateShareModal } from "./CreateShareModal";
import { EditShareModal } from "./EditShareModal";
import { RevokeModal } from "./RevokeModal";
import { ShareList } from "./ShareList";
import { shareKeys } from "./share-keys";
import type { Share } from "./share-model";

/** /shares: the caller's links; /shares?fileId= (or ?folderId=) also opens the dialog that shares that file (or folder). */
export default function SharesPage() {
  const [params, setParams] = useSearchParams();
  const fileId = params.get("fileId");
  const folderId = params.get("folderId");
  const [editing, setEditing] = useState<Share | null>(null);
  const [logOf, setLogOf] = useState<Share | null>(null);
  const [revoking, setRevoking] = useState<Share | null>(null);

  const shares = useInfiniteQuery({
    queryKey: shareKeys.list(),
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET("/shares", { params: { query: { limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } } }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const list = shares.data?.pages.flatMap((page) => page.shares) ?? [];

  const closeCreate = () =>
    setParams(
      (current) => {
        current.delete("fileId");
        current.delete("folderId");
        return current;
      },
      { replace: true },
    );

  return (
    <Stack gap="md">
      <Title order={1}>Shared links</Title>
      {shares.isPending && (
        <Center p="xl">
          <Loader aria-label="Loading shared links" />
        </Center>
      )}
      {shares.isError && (
        <Alert color="red" role="alert" title="The links could not be loaded">
          <Group justify="space-between">
            <Text size="sm">{errorMessage(shares.error)}</Text>
            <Button size="xs" variant="light" onClick={() => void shares.refetch()}>
              Try again
            </Button>
          </Group>
        </Alert>
      )}
      {shares.isSuccess && list.length === 0 && (
        <Text c="dimmed">You have not shared anything yet. Share a file or a folder from its menu in My files.</Text>
      )}
      {list.length > 0 && <ShareList shares={list} onShowLog={setLogOf} onRevoke={setRevoking} onEdit={setEditing} />}
      {shares.hasNextPage && (
        <Group justify="center">
          <Button variant="default" loading={shares.isFetchingNextPage} onClick={() => void shares.fetchNextPage()}>
            Show more
          </Button>
        </Group>
      )}
      {fileId && <CreateShareModal target={{ fileId }} onClose={closeCreate} />}
      {!fileId && folderId && <CreateShareModal target={{ folderId }} onClose={closeCreate} />}
      {editing && <EditShareModal share={editing} onClose={() => setEditing(null)} />}
      <AccessLogDrawer share={logOf} onClose={() => setLogOf(null)} />
      <RevokeModal share={revoking} onClose={() => setRevoking(null)} />
    </Stack>
  );
}
