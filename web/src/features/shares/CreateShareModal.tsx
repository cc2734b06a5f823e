import { Alert, Button, Group, Modal, NumberInput, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage, unwrap } from "../../lib/api/client";
import { shareKeys } from "./share-keys";
import { copyLink } from "./share-model";

/** "2026-12-02T10:30" for a datetime-local input, in local time. */
function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function LinkCreated({ url, folder, onClose }: { url: string; folder: boolean; onClose: () => void }) {
  return (
    <Stack>
      <Text>
        {folder
          ? "Anyone with this link can see the folder's files and download them as one ZIP, within the limits you set."
          : "Anyone with this link can download the file, within the limits you set."}
      </Text>
      <TextInput label="Link" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Done
        </Button>
        <Button onClick={() => void copyLink(url)}>Copy link</Button>
      </Group>
    </Stack>
  );
}

/** What a new link shares: a file, or a folder (downloaded as one ZIP of its ready files). */
export type ShareTarget = { fileId: string; folderId?: undefined } | { folderId: string; fileId?: undefined };

/** Shares one file or folder: optional password, expiry and download limit, then shows the new link. */
export function CreateShareModal({ target, onClose }: { target: ShareTarget; onClose: () => void }) {
  const queryClient = useQueryClient();
  const { fileId, folderId } = target;
  const file = useQuery({
    queryKey: fileId ? shareKeys.file(fileId) : shareKeys.folder(folderId!),
    queryFn: async () =>
      fileId
        ? unwrap(await api.GET("/files/{id}", { params: { path: { id: fileId } } })).file
        : unwrap(await api.GET("/folders/{id}", { params: { path: { id: folderId! } } })).folder,
  });
  const [password, setPassword] = useState("");
  const [expires, setExpires] = useState("");
  const [maxDownloads, setMaxDownloads] = useState<string | number>("");

  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/shares", {
          body: {
            ...(fileId ? { fileId } : { folderId }),
            ...(password ? { password } : {}),
            ...(expires ? { expiresAt: new Date(expires).toISOString() } : {}),
            ...(maxDownloads === "" ? {} : { maxDownloads: Number(maxDownloads) }),
          },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: shareKeys.list() }),
  });

  const title = file.data ? `Share ${file.data.name}` : folderId ? "Share a folder" : "Share a file";
  return (
    <Modal
      opened
      onClose={onClose}
      title={title}
      closeButtonProps={{ "aria-label": "Close" }}
      styles={{ title: { overflowWrap: "anywhere" } }}
    >
      {create.isSuccess ? (
        <LinkCreated url={create.data.url} folder={folderId !== undefined} onClose={onClose} />
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate();
          }}
        >
          <Stack>
            {file.isError && (
              <Alert color="red" role="alert">
                {errorMessage(file.error)}
              </Alert>
            )}
            {create.isError && (
              <Alert color="red" role="alert">
                {errorMessage(create.error)}
              </Alert>
            )}
            <PasswordInput
              label="Password"
              description="Optional. People need it to download."
              autoComplete="new-password"
              maxLength={256}
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <TextInput
              type="datetime-local"
              label="Expires"
              description="Optional. Date and time, in your time zone."
              min={localInputValue(new Date())}
              value={expires}
              onChange={(e) => setExpires(e.currentTarget.value)}
            />
            <NumberInput
              label="Maximum downloads"
              description="Optional. Empty for no limit."
              min={1}
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
              <Button type="submit" loading={create.isPending} disabled={file.isError}>
                Create link
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
