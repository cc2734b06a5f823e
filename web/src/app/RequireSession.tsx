import { Center, Loader } from "@mantine/core";
import { type ReactNode, useEffect } from "react";
import { Navigate, useLocation } from "react-router";
import { sessionStore } from "../lib/api/session";
import { useSessionState } from "../lib/api/use-session";

/** Renders its children for a signed-in user; on a fresh page load it first tries the refresh cookie. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { ready, session } = useSessionState();
  const location = useLocation();
  useEffect(() => {
    if (!sessionStore.getState().ready) void sessionStore.refresh();
  }, []);
  if (!ready) {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (!session)
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return children;
}
