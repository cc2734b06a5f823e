import { Title } from "@mantine/core";

export default function TrashPage() {
  return <Title order={1}>TrashPage</Title>;
}
