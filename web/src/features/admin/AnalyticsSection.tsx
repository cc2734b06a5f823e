import { Alert, Badge, Group, Loader, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { BarChart, DonutChart, LineChart } from "@mantine/charts";
import { useState } from "react";
import { errorMessage } from "../../lib/api/client";
import { formatBytes } from "../../lib/format";
import { type RangeDays, useUploadAnalytics } from "./queries";
import { ChartCard, StatCard, formatCount, formatPercent } from "./StatCard";

const palette = [
  "blue.6",
  "teal.6",
  "grape.6",
  "orange.6",
  "cyan.7",
  "pink.6",
  "lime.8",
  "indigo.6",
  "yellow.7",
  "red.6",
];
const ranges: { label: string; value: `${RangeDays}` }[] = [
  { label: "7 days", value: "7" },
  { label: "30 days", value: "30" },
  { label: "90 days", value: "90" },
];

function Empty({ children }: { children: string }) {
  return (
    <Text size="sm" c="dimmed" py="lg" ta="center">
      {children}
    </Text>
  );
}

/** Upload figures of the chosen range: stat cards, then the four charts. */
export function AnalyticsSection() {
  const [days, setDays] = useState<RangeDays>(30);
  const { data, error, isPending, isFetching } = useUploadAnalytics(days);

  return (
    <Stack component="section" aria-labelledby="admin-analytics" gap="md">
      <Group justify="space-between" wrap="wrap">
        <Group gap="xs">
          <Title order={2} id="admin-analytics" size="h3">
            Upload analytics
          </Title>
          {isFetching && !isPending && <Loader size="xs" aria-label="Refreshing" />}
        </Group>
        <SegmentedControl
          aria-label="Date range"
          value={String(days)}
          onChange={(value) => setDays(Number(value) as RangeDays)}
          data={ranges}
        />
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {errorMessage(error)}
        </Alert>
      )}
      {isPending && <Loader aria-label="Loading analytics" />}
      {data && (
        <>
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
            <StatCard label="Uploads" value={formatCount(data.totals.totalUploads)} hint={`last ${days} days`} />
            <StatCard label="Completed" value={formatCount(data.totals.successfulUploads)} />
            <StatCard label="Failed" value={formatCount(data.totals.failedUploads)} />
            <StatCard label="Success rate" value={formatPercent(data.totals.successRate)} />
            <StatCard
              label="Scanned clean"
              value={formatCount(data.totals.virusScans.clean)}
              hint={`${formatCount(data.totals.virusScans.failed)} not scannable`}
            />
            <StatCard label="Threats found" value={formatCount(data.totals.virusScans.infected)} />
            <StatCard
              label="Average size"
              value={data.totals.averageFileSize === null ? "—" : formatBytes(data.totals.averageFileSize)}
            />
            <StatCard label="Storage used" value={formatBytes(data.totals.totalStorageUsed)} hint="all users, now" />
          </SimpleGrid>
          {Object.keys(data.totals.byStatus).length > 0 && (
            <Group gap="xs" aria-label="Files by status" role="list">
              {Object.entries(data.totals.byStatus).map(([status, files]) => (
                <Badge key={status} variant="light" color="gray" role="listitem" tt="none">
                  {status}: {formatCount(files)}
                </Badge>
              ))}
            </Group>
          )}
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            <SuccessRateChart days={data.days} />
            <UploadsByType byMimeType={data.totals.byMimeType} />
            <FailuresByReason failures={data.failures} />
            <TopUsers users={data.topUsers} />
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}

function SuccessRateChart({
  days,
}: {
  days: { day: string; successRate: number | null; completed: number; failed: number }[];
}) {
  const points = days.map((d) => ({
    day: d.day.slice(5),
    "Success rate": d.successRate === null ? null : Math.round(d.successRate * 1000) / 10,
  }));
  return (
    <ChartCard title="Success rate over time">
      {days.every((d) => d.successRate === null) ? (
        <Empty>No upload finished in this range.</Empty>
      ) : (
        <LineChart
          h={220}
          data={points}
          dataKey="day"
          series={[{ name: "Success rate", color: "teal.7" }]}
          connectNulls
          withLegend
          yAxisProps={{ domain: [0, 100] }}
          valueFormatter={(value) => `${value}%`}
          lineChartProps={{ title: "Daily success rate, in percent" }}
        />
      )}
    </ChartCard>
  );
}

function UploadsByType({ byMimeType }: { byMimeType: Record<string, number> }) {
  const slices = Object.entries(byMimeType).map(([name, value], i) => ({
    name,
    value,
    color: palette[i % palette.length],
  }));
  return (
    <ChartCard title="Uploads by type">
      {slices.length === 0 ? (
        <Empty>No uploads in this range.</Empty>
      ) : (
        <Group align="center" gap="md">
          <DonutChart
            data={slices}
            size={140}
            thickness={24}
            withTooltip
            tooltipDataSource="segment"
            style={{ flexShrink: 0 }}
            pieChartProps={{ title: "Uploads by MIME type" }}
          />
          <Stack gap={4} role="list" aria-label="Legend" miw={0}>
            {slices.map((slice) => (
              <Group key={slice.name} gap={6} wrap="nowrap" role="listitem">
                <Badge color={slice.color} size="xs" circle aria-hidden>
                  {" "}
                </Badge>
                <Text size="sm" style={{ wordBreak: "break-all" }}>
                  {slice.name}
                </Text>
                <Text size="sm" fw={700}>
                  {formatCount(slice.value)}
                </Text>
              </Group>
            ))}
          </Stack>
        </Group>
      )}
    </ChartCard>
  );
}

function FailuresByReason({ failures }: { failures: Record<string, number> }) {
  const bars = Object.entries(failures).map(([reason, count]) => ({ reason, Failures: count }));
  return (
    <ChartCard title="Failures by reason">
      {bars.length === 0 ? (
        <Empty>No failed uploads in this range.</Empty>
      ) : (
        <BarChart
          h={220}
          data={bars}
          dataKey="reason"
          series={[{ name: "Failures", color: "red.7" }]}
          withLegend
          yAxisProps={{ allowDecimals: false }}
          barChartProps={{ title: "Failed uploads by reason" }}
        />
      )}
    </ChartCard>
  );
}

function TopUsers({ users }: { users: { userId: string; email: string; uploads: number; bytes: number }[] }) {
  return (
    <ChartCard title="Top users">
      {users.length === 0 ? (
        <Empty>No completed uploads in this range.</Empty>
      ) : (
        <Table.ScrollContainer minWidth={320}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>User</Table.Th>
                <Table.Th ta="right">Uploads</Table.Th>
                <Table.Th ta="right">Bytes</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.map((user) => (
                <Table.Tr key={user.userId}>
                  <Table.Td style={{ wordBreak: "break-all" }}>{user.email}</Table.Td>
                  <Table.Td ta="right">{formatCount(user.uploads)}</Table.Td>
                  <Table.Td ta="right">{formatBytes(user.bytes)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </ChartCard>
  );
}
