import { Stack, Table, Text } from "@mantine/core";
import { formatBytes } from "../../lib/format";

interface SharedFile {
  path: string;
  sizeBytes: number;
}

/** The files of a folder link, by path: what its ZIP holds. */
export function FolderFiles({ files, fileCount }: { files: SharedFile[]; fileCount: number }) {
  if (fileCount === 0) return <Text c="dimmed">This folder has no files to download yet.</Text>;
  return (
    <Stack gap={4}>
      <Table.ScrollContainer minWidth={0} mah={320}>
        <Table verticalSpacing={4} aria-label="Files in the folder">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>File</Table.Th>
              <Table.Th ta="right">Size</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {files.map((file) => (
              <Table.Tr key={file.path}>
                <Table.Td style={{ overflowWrap: "anywhere" }}>{file.path}</Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: "nowrap" }}>
                  {formatBytes(file.sizeBytes)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {fileCount > files.length && (
        <Text size="sm" c="dimmed">
          And {fileCount - files.length} more files, all in the ZIP.
        </Text>
      )}
    </Stack>
  );
}
