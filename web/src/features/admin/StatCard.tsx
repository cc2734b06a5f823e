import { Paper, Text } from "@mantine/core";
import { useId, type ReactNode } from "react";

/** One figure with its name; a group named by the label, so tests and screen readers find it. */
export function StatCard({ label, value, hint }: { label: string; value: ReactNode; hint?: ReactNode }) {
  const id = useId();
  return (
    <Paper withBorder p="sm" radius="md" role="group" aria-labelledby={id}>
      <Text id={id} size="sm" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text fw={700} size="xl">
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

/** A chart (or table) with its title, as a figure named by that title. */
export function ChartCard({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <Paper withBorder p="md" radius="md" component="figure" m={0} aria-labelledby={id} miw={0}>
      <Text id={id} component="h3" fw={700} mb="sm">
        {title}
      </Text>
      {children}
    </Paper>
  );
}

export const formatCount = (n: number) => n.toLocaleString();
export const formatPercent = (rate: number | null) =>
  rate === null ? "—" : `${(rate * 100).toFixed(rate === 1 ? 0 : 1)}%`;
