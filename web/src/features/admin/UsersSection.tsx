import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  NativeSelect,
  NumberInput,
  Paper,
  Progress,
  Stack,
  Switch,
  Text,
  Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { errorMessage } from "../../lib/api/client";
import { formatBytes } from "../../lib/format";
import { type AdminUser, type UserChanges, useAdminUsers, usePlans, useUpdateUser } from "./queries";

const GiB = 1024 ** 3;

/** Every account with its quota bar; edit opens a dialog for quota, plan, role and disabling. */
export function UsersSection() {
  const { data, error, isPending, fetchNextPage, hasNextPage, isFetchingNextPage } = useAdminUsers();
  const [editing, setEditing] = useState<AdminUser | null>(null);
  const users = data?.pages.flatMap((page) => page.users) ?? [];

  return (
    <Stack component="section" aria-labelledby="admin-users" gap="sm">
      <Title order={2} id="admin-users" size="h3">
        Users
      </Title>
      {error && (
        <Alert color="red" role="alert">
          {errorMessage(error)}
        </Alert>
      )}
      {isPending && <Loader size="sm" aria-label="Loading users" />}
      <Stack gap="xs" role="list" aria-label="Users">
        {users.map((user) => (
          <UserRow key={user.id} user={user} onEdit={() => setEditing(user)} />
        ))}
      </Stack>
      {hasNextPage && (
        <Button
          variant="default"
          onClick={() => void fetchNextPage()}
          loading={isFetchingNextPage}
          style={{ alignSelf: "center" }}
        >
          Load more users
        </Button>
      )}
      {editing && <EditUserModal user={editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}

function UserRow({ user, onEdit }: { user: AdminUser; onEdit: () => void }) {
  const plans = usePlans();
  const planName = plans.data?.find((plan) => plan.id === user.planId)?.name;
  const quota = Math.max(user.quotaBytes, 1);
  const percent = (bytes: number) => Math.round(Math.min(100, (bytes / quota) * 100) * 10) / 10;
  const used = percent(user.usedBytes);
  const reserved = Math.min(100 - used, percent(user.reservedBytes));
  return (
    <Paper withBorder p="sm" radius="md" role="listitem" aria-label={user.email}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={2} miw={0} style={{ flex: 1 }}>
          <Group gap={6}>
            <Text fw={600} size="sm" style={{ wordBreak: "break-all" }}>
              {user.email}
            </Text>
            {user.role === "admin" && (
              <Badge size="sm" color="violet" variant="light">
                admin
              </Badge>
            )}
            {user.disabledAt && (
              <Badge size="sm" color="red" variant="light">
                disabled
              </Badge>
            )}
          </Group>
          {user.name && (
            <Text size="xs" c="dimmed">
              {user.name}
            </Text>
          )}
        </Stack>
        <Button
          size="xs"
          variant="default"
          onClick={onEdit}
          aria-label={`Edit ${user.email}`}
          style={{ flexShrink: 0 }}
        >
          Edit
        </Button>
      </Group>
      <Progress.Root size="md" mt="xs">
        <Progress.Section value={used} color={used > 90 ? "red" : "blue"} aria-label={`${user.email}: storage used`} />
        <Progress.Section value={reserved} color="yellow" aria-label={`${user.email}: reserved by open uploads`} />
      </Progress.Root>
      <Text size="xs" c="dimmed" mt={4}>
        {formatBytes(user.usedBytes)} used · {formatBytes(user.reservedBytes)} reserved · quota{" "}
        {formatBytes(user.quotaBytes)}
        {planName ? ` · plan ${planName}` : ""}
      </Text>
    </Paper>
  );
}

function EditUserModal({ user, onClose }: { user: AdminUser; onClose: () => void }) {
  const update = useUpdateUser();
  const shownQuota = Math.round((user.quotaBytes / GiB) * 100) / 100;
  const [quotaGb, setQuotaGb] = useState<number | string>(shownQuota);
  const [role, setRole] = useState(user.role);
  const [disabled, setDisabled] = useState(user.disabledAt !== null);
  const plans = usePlans();
  const [planId, setPlanId] = useState(user.planId ?? "");

  const save = (event: React.FormEvent) => {
    event.preventDefault();
    const changes: UserChanges = {};
    // Unchanged as shown (rounded to 0.01 GB) means unchanged: the exact byte count stays.
    if (quotaGb !== "" && Number(quotaGb) !== shownQuota) changes.quotaBytes = Math.round(Number(quotaGb) * GiB);
    if (role !== user.role) changes.role = role;
    if (disabled !== (user.disabledAt !== null)) changes.disabled = disabled;
    if (planId !== (user.planId ?? "")) {
      // The plan brings its quota, unless the admin also typed another one.
      changes.planId = planId || null;
    }
    if (Object.keys(changes).length === 0) return onClose();
    update.mutate(
      { id: user.id, changes },
      {
        onSuccess: (saved) => {
          notifications.show({
            color: "green",
            message: `${saved.email} saved.`,
            closeButtonProps: { "aria-label": "Dismiss" },
          });
          onClose();
        },
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={`Edit ${user.email}`}>
      <form onSubmit={save}>
        <Stack>
          {update.error && (
            <Alert color="red" role="alert">
              {errorMessage(update.error)}
            </Alert>
          )}
          <NumberInput
            label="Quota (GB)"
            description={`Stores ${formatBytes(user.usedBytes)} now`}
            min={0}
            decimalScale={2}
            value={quotaGb}
            onChange={setQuotaGb}
            required
          />
          <NativeSelect
            label="Plan"
            description="A plan sets the quota, the file limit and the largest file at once."
            value={planId}
            onChange={(e) => setPlanId(e.currentTarget.value)}
            data={[
              { value: "", label: "No plan" },
              ...(plans.data ?? []).map((plan) => ({
                value: plan.id,
                label: `${plan.name} (${formatBytes(plan.quotaBytes)})`,
              })),
            ]}
          />
          <NativeSelect
            label="Role"
            value={role}
            onChange={(e) => setRole(e.currentTarget.value as AdminUser["role"])}
            data={[
              { value: "user", label: "User" },
              { value: "admin", label: "Admin" },
            ]}
          />
          <Switch label="Account disabled" checked={disabled} onChange={(e) => setDisabled(e.currentTarget.checked)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={update.isPending}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
