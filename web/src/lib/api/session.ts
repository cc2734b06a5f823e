import type { components } from "./schema";

export type User = components["schemas"]["User"];

export interface Session {
  accessToken: string;
  user: User;
}

/** Where the REST API lives, relative to the web client's origin (API_URL's path). */
export const API_BASE = import.meta.env.VITE_API_BASE ?? "/api";

type Listener = () => void;

/**
 * The signed-in session, kept in memory only: the access token lives here, the refresh token in an
 * httpOnly cookie the browser sends to /api/auth. A refresh runs before the access token expires,
 * and at most one is in flight for the whole app.
 */
export interface SessionState {
  /** false until the first refresh after a page load has answered. */
  ready: boolean;
  session: Session | null;
}

class SessionStore {
  private state: SessionState = { ready: false, session: null };
  private listeners = new Set<Listener>();
  private refreshing: Promise<Session | null> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  subscribe = (listener: Listener) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** A new object on every change, as useSyncExternalStore wants. */
  getState = () => this.state;

  get = () => this.state.session;

  private publish(state: SessionState) {
    this.state = state;
    for (const listener of this.listeners) listener();
  }

  /** Stores a session from login or refresh and plans the next refresh at 80 % of the token's life. */
  set(body: { accessToken: string; expiresIn: number; user: User } | null) {
    clearTimeout(this.timer);
    if (body) this.timer = setTimeout(() => void this.refresh(), Math.max(5, body.expiresIn * 0.8) * 1000);
    this.publish({ ready: true, session: body ? { accessToken: body.accessToken, user: body.user } : null });
  }

  setUser(user: User) {
    const { session } = this.state;
    if (session) this.publish({ ready: true, session: { ...session, user } });
  }

  /** Trades the refresh cookie for a new access token; null (signed out) when the cookie is gone or spent. */
  refresh(): Promise<Session | null> {
    this.refreshing ??= fetch(`${API_BASE}/auth/refresh`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    })
      .then(async (res) => {
        this.set(res.ok ? await res.json() : null);
        return this.state.session;
      })
      .catch(() => {
        this.set(null);
        return null;
      })
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }
}

export const sessionStore = new SessionStore();
