import { Registry } from "prom-client";
import { registerActiveSharesGauge, registerWaitingFilesGauge } from "./metrics";

/** A metric's values; a gauge's collect runs (a scrape), a counter's does not. */
const valueOf = async (registry: Registry, name: string) => (await registry.getSingleMetric(name)!.get()).values;

describe("gauges counted at scrape", () => {
  it("keep their last value when the count fails, but count the failure and report it", async () => {
    const registry = new Registry();
    const heard: string[] = [];
    let failing = false;
    registerActiveSharesGauge(
      registry,
      async () => {
        if (failing) throw new Error("database down");
        return 7;
      },
      (gauge, error) => heard.push(`${gauge}: ${String(error)}`),
    );
    expect((await valueOf(registry, "shares_active_total"))[0].value).toBe(7);
    failing = true;
    expect((await valueOf(registry, "shares_active_total"))[0].value).toBe(7);
    expect((await valueOf(registry, "shares_active_total_collect_errors_total"))[0].value).toBe(1);
    expect(heard).toEqual(["shares_active_total: Error: database down"]);
  });

  it("count each failed scrape of files_waiting", async () => {
    const registry = new Registry();
    let calls = 0;
    registerWaitingFilesGauge(
      registry,
      async () => {
        calls += 1;
        throw new Error("timeout");
      },
      () => undefined,
    );
    await registry.metrics();
    await registry.metrics();
    expect(calls).toBe(2);
    expect((await valueOf(registry, "files_waiting_collect_errors_total"))[0].value).toBe(2);
  });
});
