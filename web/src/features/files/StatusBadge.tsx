import { Badge, Loader } from "@mantine/core";
import type { FileItem } from "./queries";

/** The file's state when it is not the normal one (ready shows nothing). */
export function StatusBadge({ file, percent }: { file: FileItem; percent?: number }) {
  switch (file.status) {
    case "ready":
      return null;
    case "uploading":
      return (
        <Badge color="blue" variant="light">
          Uploading{percent === undefined ? "" : ` ${Math.floor(percent)}%`}
        </Badge>
      );
    case "processing":
      return (
        <Badge color="yellow" variant="light" leftSection={<Loader size={10} color="yellow" aria-hidden />}>
          Scanning
        </Badge>
      );
    case "quarantined":
      return (
        <Badge color="red" variant="light" style={{ textTransform: "none" }}>
          Threat found{file.statusReason ? `: ${file.statusReason}` : ""}
        </Badge>
      );
    default:
      return (
        <Badge color="gray" variant="light" style={{ textTransform: "none" }}>
          {file.status === "rejected" ? "Rejected" : "Failed"}
          {file.statusReason ? `: ${file.statusReason}` : ""}
        </Badge>
      );
  }
}
