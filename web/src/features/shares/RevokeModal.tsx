import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, errorMessage, unwrap } from "../../lib/api/client";
import { shareKeys } from "./share-keys";
import { fileName, type Share } from "./share-model";

/** Asks once before a link stops working for good. */
export function RevokeModal({ share, onClose }: { share: Share | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE("/shares/{id}", { params: { path: { id } } })),
    onSuccess: async (_, id) => {
      notifications.show({ message: "Link revoked", color: "green", closeButtonProps: { "aria-label": "Dismiss" } });
      onClose();
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: shareKeys.list() }),
        queryClient.invalidateQueries({ queryKey: shareKeys.accessLog(id) }),
      ]);
    },
  });
  const close = () => {
    revoke.reset();
    onClose();
  };
  return (
    <Modal
      opened={share !== null}
      onClose={close}
      title="Revoke this link?"
      closeButtonProps={{ "aria-label": "Close" }}
    >
      {share && (
        <Stack>
          <Text style={{ overflowWrap: "anywhere" }}>
            Nobody will be able to download <strong>{fileName(share)}</strong> through this link any more. A revoked
            link cannot be turned back on.
          </Text>
          {revoke.isError && (
            <Alert color="red" role="alert">
              {errorMessage(revoke.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button color="red" loading={revoke.isPending} onClick={() => revoke.mutate(share.id)}>
              Revoke link
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
