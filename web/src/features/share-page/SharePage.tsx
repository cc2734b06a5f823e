import { Alert, Button, Center, Group, Loader, Paper, PasswordInput, Stack, Text, Title } from "@mantine/core";
import { IconDownload } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { useParams } from "react-router";
import { ApiError, api, errorMessage, unwrap } from "../../lib/api/client";
import type { components } from "../../lib/api/schema";
import { formatBytes, formatDate } from "../../lib/format";
import { downloadShare } from "./download";
import { FileTypeIcon } from "./file-icon";
import { FolderFiles } from "./FolderFiles";

type PublicShare = components["schemas"]["getPublicShare200"];

const shareKeys = { link: (token: string) => ["public-share", token] as const };

const goneReasons: Record<string, string> = {
  expired: "It has expired.",
  consumed: "It has been downloaded as many times as it allowed.",
  revoked: "The person who shared it has revoked it.",
  file_unavailable: "The shared file is no longer available.",
};

/** The frame of the public page: no app chrome, a centred card with the product name. */
function PublicFrame({ children }: { children: ReactNode }) {
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={480} component="main">
        <Stack gap="md">
          <Text fw={700} size="lg" c="blue.8">
            Coffer
          </Text>
          {children}
        </Stack>
      </Paper>
    </Center>
  );
}

/** The page a link ends on when it cannot serve the file: 404 unknown, 410 gone with the reason. */
function LinkProblem({ error }: { error: ApiError }) {
  if (error.status === 404) {
    return (
      <>
        <Title order={1} size="h2">
          This link does not exist
        </Title>
        <Text>Check that you have the whole link, as it was sent to you.</Text>
      </>
    );
  }
  const reason = (error.details as { reason?: string } | undefined)?.reason ?? "";
  return (
    <>
      <Title order={1} size="h2">
        This link is no longer available
      </Title>
      <Text>{goneReasons[reason] ?? error.message}</Text>
      <Text c="dimmed" size="sm">
        Ask the person who shared it for a new link.
      </Text>
    </>
  );
}

const isLinkProblem = (error: unknown): error is ApiError =>
  error instanceof ApiError && (error.status === 404 || error.status === 410);

function remainingText(share: PublicShare): string {
  if (share.downloadsRemaining === null) return "No download limit";
  return share.downloadsRemaining === 1 ? "1 download left" : `${share.downloadsRemaining} downloads left`;
}

function ShareDownload({ token, share }: { token: string; share: PublicShare }) {
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [remaining, setRemaining] = useState(share.downloadsRemaining);

  const download = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(null);
    const before = remaining;
    const outcome = await downloadShare({
      token,
      password,
      // Also when the error comes after the download was taken as started (a slow server): undo that.
      onError: (e) => {
        setSaved(null);
        setRemaining(before);
        setError(e);
      },
    });
    if (outcome === "started") {
      setSaved(share.name);
      setRemaining((left) => (left === null ? null : Math.max(0, left - 1)));
    }
    setBusy(false);
  };

  if (isLinkProblem(error)) return <LinkProblem error={error} />;
  const usedUp = remaining === 0;
  return (
    <>
      <Group wrap="nowrap" align="flex-start" gap="md">
        <FileTypeIcon mimeType={share.mimeType} size={48} />
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Title order={1} size="h2" style={{ overflowWrap: "anywhere" }}>
            {share.name}
          </Title>
          <Text c="dimmed" size="sm">
            {share.kind === "folder"
              ? `Folder · ${share.fileCount ?? 0} ${share.fileCount === 1 ? "file" : "files"} · ${formatBytes(share.sizeBytes)} · downloads as one ZIP`
              : `${formatBytes(share.sizeBytes)} · ${share.mimeType}`}
          </Text>
        </Stack>
      </Group>
      <Text size="sm">
        {remainingText({ ...share, downloadsRemaining: remaining })} ·{" "}
        {share.expiresAt ? `Available until ${formatDate(share.expiresAt)}` : "Does not expire"}
      </Text>
      {share.kind === "folder" && <FolderFiles files={share.files ?? []} fileCount={share.fileCount ?? 0} />}
      <div aria-live="polite">
        {saved && (
          <Alert color="green">
            {usedUp
              ? `${saved} is downloading: your browser saves it. This link allowed no more downloads, so it no longer works.`
              : `${saved} is downloading: your browser saves it.`}
          </Alert>
        )}
      </div>
      {error !== null && (
        <Alert color="red" role="alert">
          {errorMessage(error)}
        </Alert>
      )}
      {!usedUp && (
        <form onSubmit={(e) => void download(e)}>
          <Stack>
            {share.requiresPassword && (
              <PasswordInput
                label="Password"
                description="The person who shared this file protected it with a password."
                autoComplete="off"
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
              />
            )}
            <Button type="submit" size="lg" fullWidth leftSection={<IconDownload size={22} />} loading={busy}>
              Download
            </Button>
          </Stack>
        </form>
      )}
    </>
  );
}

/** /s/:token: what a public link shares and its download button, or why the link does not work. */
export default function SharePage() {
  const { token = "" } = useParams();
  const share = useQuery({
    queryKey: shareKeys.link(token),
    queryFn: async () => unwrap(await api.GET("/s/{token}", { params: { path: { token } } })),
    refetchOnWindowFocus: false,
  });
  return (
    <PublicFrame>
      {share.isPending && (
        <Center p="lg">
          <Loader aria-label="Loading the link" />
        </Center>
      )}
      {share.isError &&
        (isLinkProblem(share.error) ? (
          <LinkProblem error={share.error} />
        ) : (
          <>
            <Title order={1} size="h2">
              The link could not be opened
            </Title>
            <Alert color="red" role="alert">
              {errorMessage(share.error)}
            </Alert>
            <Button variant="default" onClick={() => void share.refetch()}>
              Try again
            </Button>
          </>
        ))}
      {share.isSuccess && <ShareDownload token={token} share={share.data} />}
    </PublicFrame>
  );
}
