import { AppError, tooManyRequests } from "../../../lib/errors";
import type { AppContext } from "../../context";
import type { AppDeps } from "../../deps";
import { clientIp } from "../../middleware/rate-limit";

/** What a refused download is told to wait before trying again; a slot frees when any download ends. */
export const SLOT_RETRY_AFTER_SECONDS = 5;

export interface DownloadSlot {
  /** Gives the slot back; calling it again does nothing. */
  release(): void;
}

/**
 * The share downloads running in this process, per client IP and in all, each capped
 * (SHARE_DOWNLOADS_PER_IP, SHARE_DOWNLOADS_MAX): every running download holds a socket to the
 * client, one to S3 and their buffers for as long as its client takes.
 */
export class DownloadSlots {
  private readonly perIp = new Map<string, number>();
  private total = 0;

  constructor(private readonly limits: { perIp: number; max: number }) {}

  /** Downloads running now. */
  get running(): number {
    return this.total;
  }

  /** A slot for one download from `ip`, or the 429 to answer when the IP or the process is at its cap. */
  take(ip: string): DownloadSlot | AppError {
    const fromIp = this.perIp.get(ip) ?? 0;
    if (fromIp >= this.limits.perIp) {
      return tooManyRequests(
        "too_many_downloads",
        `At most ${this.limits.perIp} downloads may run at once from one address; retry when one has finished.`,
        SLOT_RETRY_AFTER_SECONDS,
      );
    }
    if (this.total >= this.limits.max) {
      return tooManyRequests(
        "downloads_busy",
        "Too many downloads are running; retry in a moment.",
        SLOT_RETRY_AFTER_SECONDS,
      );
    }
    this.perIp.set(ip, fromIp + 1);
    this.total++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.total--;
        const left = this.perIp.get(ip)! - 1;
        if (left === 0) this.perIp.delete(ip);
        else this.perIp.set(ip, left);
      },
    };
  }
}

const slotsOfApp = new WeakMap<AppDeps, DownloadSlots>();

/** The slots of one app: one per API process (tests serve several apps side by side). */
export function downloadSlots(deps: AppDeps): DownloadSlots {
  let slots = slotsOfApp.get(deps);
  if (!slots) {
    slots = new DownloadSlots({ perIp: deps.config.SHARE_DOWNLOADS_PER_IP, max: deps.config.SHARE_DOWNLOADS_MAX });
    slotsOfApp.set(deps, slots);
  }
  return slots;
}

/** Takes a download slot for the client until its response is over (sent, failed or cut); throws the 429 when there is none. */
export function takeDownloadSlot(ctx: AppContext): void {
  const slot = downloadSlots(ctx.deps).take(clientIp(ctx));
  if (slot instanceof AppError) throw slot;
  ctx.res.once("close", slot.release);
}
