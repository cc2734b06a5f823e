import {
  IconFile,
  IconFileMusic,
  IconFileText,
  IconFileTypePdf,
  IconFileZip,
  IconMovie,
  IconPhoto,
} from "@tabler/icons-react";

/** An icon for a MIME type's family. */
export function FileTypeIcon({ mimeType, size }: { mimeType: string; size: number }) {
  const props = { size, stroke: 1.5, "aria-hidden": true };
  if (mimeType.startsWith("image/")) return <IconPhoto {...props} />;
  if (mimeType.startsWith("video/")) return <IconMovie {...props} />;
  if (mimeType.startsWith("audio/")) return <IconFileMusic {...props} />;
  if (mimeType === "application/pdf") return <IconFileTypePdf {...props} />;
  if (/zip|compressed|tar|gzip|7z|rar/.test(mimeType)) return <IconFileZip {...props} />;
  if (mimeType.startsWith("text/") || /json|xml|document|msword|spreadsheet|presentation/.test(mimeType))
    return <IconFileText {...props} />;
  return <IconFile {...props} />;
}
