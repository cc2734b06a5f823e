import { AppError } from "../../../lib/errors";
import { DownloadSlots, type DownloadSlot } from "./download-slots";

const taken = (slot: DownloadSlot | AppError): DownloadSlot => {
  if (slot instanceof AppError) throw slot;
  return slot;
};

describe("DownloadSlots", () => {
  it("gives each IP its cap and the process its cap, with a 429 that says which", () => {
    const slots = new DownloadSlots({ perIp: 2, max: 3 });
    const a1 = taken(slots.take("10.0.0.1"));
    taken(slots.take("10.0.0.1"));
    const refused = slots.take("10.0.0.1");
    expect(refused).toMatchObject({
      status: 429,
      code: "too_many_downloads",
      details: { retryAfterSeconds: 5 },
      headers: { "Retry-After": "5" },
    });

    taken(slots.take("10.0.0.2"));
    expect(slots.take("10.0.0.3")).toMatchObject({ status: 429, code: "downloads_busy" });
    expect(slots.running).toBe(3);

    a1.release();
    taken(slots.take("10.0.0.3"));
    expect(slots.running).toBe(3);
  });

  it("counts a slot released twice once", () => {
    const slots = new DownloadSlots({ perIp: 1, max: 10 });
    const slot = taken(slots.take("10.0.0.1"));
    slot.release();
    slot.release();
    expect(slots.running).toBe(0);
    taken(slots.take("10.0.0.1"));
    expect(slots.take("10.0.0.1")).toBeInstanceOf(AppError);
  });
});
