import { AppShell, Burger, Group, Menu, NavLink, Progress, Stack, Text, UnstyledButton } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import {
  IconChartBar,
  IconChevronDown,
  IconFolder,
  IconLink,
  IconLogout,
  IconSettings,
  IconTrash,
} from "@tabler/icons-react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Suspense } from "react";
import { Link, Outlet, useLocation, useNavigate } from "react-router";
import { Loader } from "@mantine/core";
import { api, unwrap } from "../lib/api/client";
import { API_BASE, sessionStore } from "../lib/api/session";
import { useSession } from "../lib/api/use-session";
import { formatBytes } from "../lib/format";
import { meKeys } from "../lib/api/query-keys";
import { SearchBox } from "../features/files/SearchBox";
import { UploadsPanel } from "../features/uploads-panel/UploadsPanel";
import { NotificationsBell } from "../features/notifications/NotificationsBell";

function QuotaBar() {
  const { data } = useQuery({ queryKey: meKeys.me(), queryFn: async () => unwrap(await api.GET("/me")) });
  if (!data) return null;
  const { usedBytes, quotaBytes } = data.quota;
  // Rounded: a tiny share would otherwise print as 9.3e-7, which is no valid aria-valuenow.
  const percent = quotaBytes === 0 ? 100 : Math.min(100, Math.round((usedBytes / quotaBytes) * 1000) / 10);
  return (
    <Stack gap={4}>
      <Progress value={percent} color={percent > 90 ? "red" : "blue"} aria-label="Storage used" />
      <Text size="xs" c="dimmed">
        {formatBytes(usedBytes)} of {formatBytes(quotaBytes)} used
      </Text>
    </Stack>
  );
}

function UserMenu() {
  const session = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const logout = async () => {
    await fetch(`${API_BASE}/auth/logout`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${session?.accessToken ?? ""}` },
      body: "{}",
    }).catch(() => undefined);
    sessionStore.set(null);
    queryClient.clear();
    void navigate("/login");
  };
  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <UnstyledButton aria-label="Account menu">
          <Group gap={4}>
            <Text size="sm" visibleFrom="xs">
              {session?.user.name ?? session?.user.email}
            </Text>
            <IconChevronDown size={16} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{session?.user.email}</Menu.Label>
        <Menu.Item leftSection={<IconSettings size={16} />} component={Link} to="/settings">
          Settings
        </Menu.Item>
        <Menu.Item leftSection={<IconLogout size={16} />} onClick={() => void logout()}>
          Log out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

const links = [
  { to: "/", label: "My files", icon: IconFolder, match: (path: string) => path === "/" || path.startsWith("/f/") },
  { to: "/shares", label: "Shared links", icon: IconLink, match: (path: string) => path === "/shares" },
  { to: "/trash", label: "Trash", icon: IconTrash, match: (path: string) => path === "/trash" },
  { to: "/settings", label: "Settings", icon: IconSettings, match: (path: string) => path === "/settings" },
];

/** The signed-in app: navbar (collapses behind a burger below 768 px), header with search, content. */
export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure();
  const { pathname } = useLocation();
  const session = useSession();
  const all =
    session?.user.role === "admin"
      ? [...links, { to: "/admin", label: "Admin", icon: IconChartBar, match: (p: string) => p === "/admin" }]
      : links;
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: "sm", collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Text fw={700} size="lg" component={Link} to="/">
              Coffer
            </Text>
          </Group>
          <SearchBox />
          <Group gap="xs" wrap="nowrap">
            <NotificationsBell />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main">
        <AppShell.Section grow>
          {all.map(({ to, label, icon: Icon, match }) => (
            <NavLink
              key={to}
              component={Link}
              to={to}
              label={label}
              leftSection={<Icon size={18} />}
              active={match(pathname)}
              onClick={close}
            />
          ))}
        </AppShell.Section>
        <AppShell.Section>
          <QuotaBar />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense fallback={<Loader aria-label="Loading" />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
      <UploadsPanel />
    </AppShell>
  );
}
