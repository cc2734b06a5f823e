import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

const docs = path.resolve(__dirname, "..", "docs");

/** Metric names our processes export (SPEC §8 and files_waiting); others come from the SDK, MinIO, node_exporter. */
const ours = [
  "request_duration_seconds",
  "uploads_started_total",
  "uploads_completed_total",
  "upload_bytes_total",
  "upload_part_duration_seconds",
  "downloads_total",
  "shares_active_total",
  "virus_detections_total",
  "clamav_scan_seconds",
  "files_waiting",
];
const foreignPrefixes = ["temporal_", "minio_", "node_"];
const functions = new Set([
  "sum",
  "rate",
  "increase",
  "max",
  "min",
  "by",
  "le",
  "histogram_quantile",
  "and",
  "status",
  "route",
  "workflow_type",
  "instance",
  "mountpoint",
  "fstype",
  "code",
  "outcome",
]);

/** Every identifier in a PromQL expression that names a metric. */
function metricsIn(expr: string): string[] {
  const withoutStrings = expr
    .replace(/"[^"]*"/g, "")
    .replace(/\{[^}]*\}/g, "")
    .replace(/\[[^\]]*\]/g, "");
  return (withoutStrings.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? []).filter((word) => !functions.has(word));
}

const known = (name: string) =>
  ours.some((metric) => name === metric || name.startsWith(`${metric}_`)) ||
  foreignPrefixes.some((prefix) => name.startsWith(prefix));

describe("docs/prometheus and docs/grafana", () => {
  it("alert rules pass promtool check rules and their unit tests", () => {
    const rules = path.join(docs, "prometheus", "alerts.yml");
    expect(execFileSync("promtool", ["check", "rules", rules], { encoding: "utf8" })).toContain(
      "SUCCESS: 7 rules found",
    );
    expect(
      execFileSync("promtool", ["test", "rules", path.join(docs, "prometheus", "alerts.test.yml")], {
        encoding: "utf8",
      }),
    ).toContain("SUCCESS");
  });

  it("the dashboard is Grafana JSON whose queries use only metrics that exist", () => {
    const dashboard = JSON.parse(readFileSync(path.join(docs, "grafana", "coffer-dashboard.json"), "utf8")) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const titles = dashboard.panels.map((panel) => panel.title).join(" | ");
    for (const topic of [
      "Uploads",
      "success",
      "Scan latency",
      "detections",
      "downloads",
      "Queue depth",
      "Workflow failures",
    ]) {
      expect(titles).toContain(topic);
    }
    const unknown = dashboard.panels
      .flatMap((panel) => panel.targets.flatMap((target) => metricsIn(target.expr)))
      .filter((name) => !known(name));
    expect(unknown).toEqual([]);
  });
});
