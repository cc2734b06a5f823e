import { SpeedMeter } from "./speed";

describe("SpeedMeter", () => {
  it("averages over the last 5 seconds", () => {
    const meter = new SpeedMeter();
    for (let t = 0; t <= 10_000; t += 500) meter.record(t, 500);
    expect(meter.bytesPerSecond(10_000)).toBeCloseTo(1000, -2);

    // Twice as fast for the last 5 s: the first half no longer counts.
    for (let t = 10_500; t <= 15_000; t += 500) meter.record(t, 1000);
    expect(meter.bytesPerSecond(15_000)).toBeCloseTo(2000, -2);
  });

  it("gives time left only after 2 seconds of data, and none once nothing moves", () => {
    const meter = new SpeedMeter();
    meter.record(0, 1000);
    meter.record(1000, 1000);
    expect(meter.bytesPerSecond(1500)).toBeGreaterThan(0);
    expect(meter.secondsLeft(1500, 10_000)).toBeNull();

    meter.record(2000, 1000);
    expect(meter.secondsLeft(2000, 10_000)).toBe(7);

    expect(meter.bytesPerSecond(9000)).toBe(0);
    expect(meter.secondsLeft(9000, 10_000)).toBeNull();

    // A new run after the pause needs its own 2 seconds.
    meter.record(9000, 1000);
    expect(meter.secondsLeft(10_000, 10_000)).toBeNull();
  });
});
