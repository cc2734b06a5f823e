import { Title } from "@mantine/core";

export default function SharePage() {
  return <Title order={1}>SharePage</Title>;
}
