import { notifications } from "@mantine/notifications";
import type { components } from "../../lib/api/schema";

export type Share = components["schemas"]["listShares200"]["shares"][number];
export type ShareState = Share["state"];

export const stateBadges: Record<ShareState, { label: string; color: string }> = {
  active: { label: "Active", color: "green" },
  expired: { label: "Expired", color: "gray" },
  consumed: { label: "Used up", color: "gray" },
  revoked: { label: "Revoked", color: "red" },
  file_unavailable: { label: "File unavailable", color: "orange" },
};

/** The file's or folder's name, or what happened to it. */
export const fileName = (share: Share) => {
  if (share.kind === "folder") return share.folder ? `${share.folder.name} (folder)` : "Deleted folder";
  return share.file?.name ?? "Deleted file";
};

/** "2 / 5", or "2 / no limit". */
export const downloadsText = (share: Share) => `${share.downloadCount} / ${share.maxDownloads ?? "no limit"}`;

/** Puts a link on the clipboard and says so in a toast. */
export async function copyLink(url: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(url);
    notifications.show({ message: "Link copied", color: "green", closeButtonProps: { "aria-label": "Dismiss" } });
  } catch {
    notifications.show({
      message: "The link could not be copied: select it and copy it by hand.",
      color: "red",
      closeButtonProps: { "aria-label": "Dismiss" },
    });
  }
}
