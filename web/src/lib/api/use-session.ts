import { useSyncExternalStore } from "react";
import { sessionStore } from "./session";

/** The signed-in session and whether the first refresh has answered, re-rendering on every change. */
export function useSessionState() {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.getState);
}

/** The signed-in session (null when signed out). */
export function useSession() {
  return useSessionState().session;
}
