import { ActionIcon, Badge, Button, Card, Group, Stack, Table, Text, Tooltip, VisuallyHidden } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { IconBan, IconCopy, IconHistory, IconPencil } from "@tabler/icons-react";
import { formatDate } from "../../lib/format";
import { copyLink, downloadsText, fileName, stateBadges, type Share } from "./share-model";

interface Props {
  shares: Share[];
  onShowLog: (share: Share) => void;
  onRevoke: (share: Share) => void;
  onEdit: (share: Share) => void;
}

function StateBadge({ share }: { share: Share }) {
  const { label, color } = stateBadges[share.state];
  return (
    <Badge color={color} variant="dot">
      {label}
    </Badge>
  );
}

function Actions({
  share,
  onShowLog,
  onRevoke,
  onEdit,
  withText,
}: Omit<Props, "shares"> & { share: Share; withText?: boolean }) {
  const name = fileName(share);
  const actions = [
    { label: "Copy link", icon: IconCopy, onClick: () => void copyLink(share.url), disabled: false },
    { label: "Edit", icon: IconPencil, onClick: () => onEdit(share), disabled: share.state === "revoked" },
    { label: "Access log", icon: IconHistory, onClick: () => onShowLog(share), disabled: false },
    {
      label: "Revoke",
      icon: IconBan,
      onClick: () => onRevoke(share),
      disabled: share.state === "revoked",
      color: "red",
    },
  ];
  if (withText) {
    return (
      <Group gap="xs">
        {actions.map(({ label, icon: Icon, onClick, disabled, color }) => (
          <Button
            key={label}
            size="xs"
            variant="default"
            leftSection={<Icon size={16} color={color && `var(--mantine-color-${color}-filled)`} />}
            onClick={onClick}
            disabled={disabled}
            aria-label={`${label}: ${name}`}
          >
            {label}
          </Button>
        ))}
      </Group>
    );
  }
  return (
    <Group gap={4} wrap="nowrap">
      {actions.map(({ label, icon: Icon, onClick, disabled, color }) => (
        <Tooltip key={label} label={label}>
          <ActionIcon
            variant="subtle"
            color={color}
            onClick={onClick}
            disabled={disabled}
            aria-label={`${label}: ${name}`}
          >
            <Icon size={18} />
          </ActionIcon>
        </Tooltip>
      ))}
    </Group>
  );
}

/** A table on wide screens, a list of cards on narrow ones. */
export function ShareList({ shares, onShowLog, onRevoke, onEdit }: Props) {
  const wide = useMediaQuery("(min-width: 48em)", true);
  if (!wide) {
    return (
      <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: "none" }} aria-label="Shared links">
        {shares.map((share) => (
          <Card key={share.id} withBorder component="li" padding="sm">
            <Stack gap={6}>
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Text fw={600} style={{ overflowWrap: "anywhere" }}>
                  {fileName(share)}
                </Text>
                <StateBadge share={share} />
              </Group>
              <Text size="sm" c="dimmed">
                Created {formatDate(share.createdAt)} · Expires{" "}
                {share.expiresAt ? formatDate(share.expiresAt) : "never"}
              </Text>
              <Text size="sm" c="dimmed">
                Downloads {downloadsText(share)}
                {share.requiresPassword ? " · Password" : ""}
              </Text>
              <Actions share={share} onShowLog={onShowLog} onRevoke={onRevoke} onEdit={onEdit} withText />
            </Stack>
          </Card>
        ))}
      </Stack>
    );
  }
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table verticalSpacing="sm" highlightOnHover aria-label="Shared links">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Shared</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Expires</Table.Th>
            <Table.Th>Downloads</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shares.map((share) => (
            <Table.Tr key={share.id}>
              <Table.Td style={{ overflowWrap: "anywhere" }}>
                {fileName(share)}
                {share.requiresPassword && (
                  <Text size="xs" c="dimmed">
                    Password protected
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{formatDate(share.createdAt)}</Table.Td>
              <Table.Td>{share.expiresAt ? formatDate(share.expiresAt) : "Never"}</Table.Td>
              <Table.Td>{downloadsText(share)}</Table.Td>
              <Table.Td>
                <StateBadge share={share} />
              </Table.Td>
              <Table.Td>
                <Actions share={share} onShowLog={onShowLog} onRevoke={onRevoke} onEdit={onEdit} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
