import { Alert, Button, Checkbox, Group, Modal, NumberInput, PasswordInput, Stack, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage, unwrap } from "../../lib/api/client";
import { shareKeys } from "./share-keys";
import { fileName, type Share } from "./share-model";

/** "2026-12-02T10:30" for a datetime-local input, in local time. */
function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * Changes a link's password, expiry and download limit (PATCH /shares/:id). Only what the user
 * touched is sent; an emptied expiry or limit removes it, and the password is kept unless the
 * user types a new one or ticks "remove".
 */
export function EditShareModal({ share, onClose }: { share: Share; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [password, setPassword] = useState("");
  const [removePassword, setRemovePassword] = useState(false);
  const initialExpires = share.expiresAt ? localInputValue(new Date(share.expiresAt)) : "";
  const [expires, setExpires] = useState(initialExpires);
  const [maxDownloads, setMaxDownloads] = useState<string | number>(share.maxDownloads ?? "");

  const save = useMutation({
    mutationFn: async () => {
      const limit = maxDownloads === "" ? null : Number(maxDownloads);
      const body = {
        ...(removePassword ? { password: null } : password ? { password } : {}),
        ...(expires !== initialExpires ? { expiresAt: expires ? new Date(expires).toISOString() : null } : {}),
        ...(limit !== share.maxDownloads ? { maxDownloads: limit } : {}),
      };
      if (Object.keys(body).length === 0) return null;
      return unwrap(await api.PATCH("/shares/{id}", { params: { path: { id: share.id } }, body }));
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: shareKeys.list() });
      onClose();
    },
  });

  return (
    <Modal
      opened
      onClose={onClose}
      title={`Edit the link to ${fileName(share)}`}
      closeButtonProps={{ "aria-label": "Close" }}
      styles={{ title: { overflowWrap: "anywhere" } }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        <Stack>
          {save.isError && (
            <Alert color="red" role="alert">
              {errorMessage(save.error)}
            </Alert>
          )}
          <PasswordInput
            label={share.requiresPassword ? "New password" : "Password"}
            description={
              share.requiresPassword ? "Empty keeps the current password." : "Optional. People need it to download."
            }
            autoComplete="new-password"
            maxLength={256}
            disabled={removePassword}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          {share.requiresPassword && (
            <Checkbox
              label="Remove the password"
              checked={removePassword}
              onChange={(e) => setRemovePassword(e.currentTarget.checked)}
            />
          )}
          <TextInput
            type="datetime-local"
            label="Expires"
            description="Empty for never. Date and time, in your time zone."
            min={localInputValue(new Date())}
            value={expires}
            onChange={(e) => setExpires(e.currentTarget.value)}
          />
          <NumberInput
            label="Maximum downloads"
            description={`Empty for no limit. ${share.downloadCount} already made; the limit cannot be lower.`}
            min={Math.max(1, share.downloadCount)}
            max={1_000_000}
            allowDecimal={false}
            allowNegative={false}
            value={maxDownloads}
            onChange={setMaxDownloads}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
