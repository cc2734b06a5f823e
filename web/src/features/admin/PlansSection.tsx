import {
  Alert,
  Button,
  Group,
  Loader,
  Modal,
  NumberInput,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { errorMessage } from "../../lib/api/client";
import { formatBytes } from "../../lib/format";
import { type Plan, usePlans, useSavePlan } from "./queries";

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** The plans (quota, file limit, largest file) with a dialog to create or change one. */
export function PlansSection() {
  const plans = usePlans();
  const [editing, setEditing] = useState<Plan | "new" | null>(null);
  return (
    <Stack component="section" aria-labelledby="admin-plans" gap="sm">
      <Group justify="space-between">
        <Title order={2} id="admin-plans" size="h3">
          Plans
        </Title>
        <Button size="xs" variant="default" onClick={() => setEditing("new")}>
          New plan
        </Button>
      </Group>
      {plans.error && (
        <Alert color="red" role="alert">
          {errorMessage(plans.error)}
        </Alert>
      )}
      {plans.isPending && <Loader size="sm" aria-label="Loading plans" />}
      {plans.data && plans.data.length === 0 && <Text c="dimmed">No plans yet.</Text>}
      {plans.data && plans.data.length > 0 && (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={0}>
            <Table aria-label="Plans" verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Plan</Table.Th>
                  <Table.Th>Quota</Table.Th>
                  <Table.Th>Files</Table.Th>
                  <Table.Th>Largest file</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {plans.data.map((plan) => (
                  <Table.Tr key={plan.id}>
                    <Table.Td fw={600}>{plan.name}</Table.Td>
                    <Table.Td>{formatBytes(plan.quotaBytes)}</Table.Td>
                    <Table.Td>{plan.maxFiles.toLocaleString()}</Table.Td>
                    <Table.Td>{formatBytes(plan.maxFileBytes)}</Table.Td>
                    <Table.Td>
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => setEditing(plan)}
                        aria-label={`Edit plan ${plan.name}`}
                      >
                        Edit
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      {editing && <PlanModal plan={editing === "new" ? null : editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}

function PlanModal({ plan, onClose }: { plan: Plan | null; onClose: () => void }) {
  const save = useSavePlan();
  const [name, setName] = useState(plan?.name ?? "");
  const [quotaGb, setQuotaGb] = useState<number | string>(plan ? Math.round((plan.quotaBytes / GiB) * 100) / 100 : 10);
  const [maxFiles, setMaxFiles] = useState<number | string>(plan?.maxFiles ?? 10_000);
  const [maxFileMb, setMaxFileMb] = useState<number | string>(plan ? Math.round(plan.maxFileBytes / MiB) : 2048);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const limits = {
      name: name.trim(),
      quotaBytes: Math.round(Number(quotaGb) * GiB),
      maxFiles: Number(maxFiles),
      maxFileBytes: Math.max(1, Math.round(Number(maxFileMb) * MiB)),
    };
    save.mutate(
      { id: plan?.id, limits },
      {
        onSuccess: (saved) => {
          notifications.show({
            color: "green",
            message: `Plan ${saved.name} saved.`,
            closeButtonProps: { "aria-label": "Dismiss" },
          });
          onClose();
        },
      },
    );
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={plan ? `Edit plan ${plan.name}` : "New plan"}
      closeButtonProps={{ "aria-label": "Close" }}
    >
      <form onSubmit={submit}>
        <Stack>
          {save.error && (
            <Alert color="red" role="alert">
              {errorMessage(save.error)}
            </Alert>
          )}
          <TextInput
            label="Name"
            required
            maxLength={64}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <NumberInput
            label="Quota (GB)"
            description={plan ? "Every user on this plan gets the new quota at once." : undefined}
            required
            min={0}
            decimalScale={2}
            value={quotaGb}
            onChange={setQuotaGb}
          />
          <NumberInput
            label="Maximum files"
            required
            min={0}
            allowDecimal={false}
            value={maxFiles}
            onChange={setMaxFiles}
          />
          <NumberInput
            label="Largest file (MB)"
            required
            min={1}
            allowDecimal={false}
            value={maxFileMb}
            onChange={setMaxFileMb}
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
