import { Combobox, Group, Loader, Text, TextInput, useCombobox } from "@mantine/core";
import { useDebouncedValue, useHotkeys } from "@mantine/hooks";
import { IconFile, IconFolder, IconSearch } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { useNavigate } from "react-router";
import { api, errorMessage, unwrap } from "../../lib/api/client";
import { fileKeys } from "./file-keys";

/** The header's search: names containing the text, anywhere in the user's files; `/` focuses it. */
export function SearchBox() {
  const navigate = useNavigate();
  const input = useRef<HTMLInputElement>(null);
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const [text, setText] = useState("");
  const [q] = useDebouncedValue(text.trim(), 250);
  useHotkeys([["/", () => input.current?.focus()]]);
  const search = useQuery({
    queryKey: fileKeys.search(q),
    queryFn: async () => unwrap(await api.GET("/search", { params: { query: { q, limit: 20 } } })),
    enabled: q.length > 0,
    staleTime: 10_000,
  });
  const results = search.data?.results ?? [];

  const open = (id: string) => {
    const hit = results.find((r) => r.id === id);
    if (!hit) return;
    combobox.closeDropdown();
    setText("");
    input.current?.blur();
    void navigate(hit.kind === "folder" ? `/f/${hit.id}` : hit.folderId ? `/f/${hit.folderId}` : "/");
  };

  return (
    <Combobox store={combobox} onOptionSubmit={open} withinPortal>
      <Combobox.Target>
        <TextInput
          ref={input}
          aria-label="Search files and folders"
          placeholder="Search  ( / )"
          leftSection={<IconSearch size={16} aria-hidden />}
          rightSection={search.isFetching ? <Loader size={14} aria-hidden /> : null}
          value={text}
          onChange={(e) => {
            setText(e.currentTarget.value);
            combobox.openDropdown();
            combobox.updateSelectedOptionIndex();
          }}
          onFocus={() => text && combobox.openDropdown()}
          onBlur={() => combobox.closeDropdown()}
          onKeyDown={(e) => {
            if (e.key === "Escape") {
              setText("");
              combobox.closeDropdown();
            }
          }}
          style={{ flex: 1, maxWidth: 420, minWidth: 0 }}
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={!q}>
        <Combobox.Options aria-label="Search results" mah={360} style={{ overflowY: "auto" }}>
          {search.isError ? (
            <Combobox.Empty>{errorMessage(search.error)}</Combobox.Empty>
          ) : results.length === 0 ? (
            <Combobox.Empty>{search.isPending ? "Searching…" : "Nothing found"}</Combobox.Empty>
          ) : (
            results.map((hit) => (
              <Combobox.Option value={hit.id} key={hit.id} aria-label={hit.name}>
                <Group gap="xs" wrap="nowrap">
                  {hit.kind === "folder" ? <IconFolder size={16} aria-hidden /> : <IconFile size={16} aria-hidden />}
                  <div style={{ minWidth: 0 }}>
                    <Text size="sm" truncate>
                      {hit.name}
                    </Text>
                    <Text size="xs" c="dimmed" truncate>
                      {["My files", ...hit.path.map((p) => p.name)].join(" / ")}
                    </Text>
                  </div>
                </Group>
              </Combobox.Option>
            ))
          )}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
