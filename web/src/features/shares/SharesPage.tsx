import { Title } from "@mantine/core";

export default function SharesPage() {
  return <Title order={1}>SharesPage</Title>;
}
