import type { ParameterizedContext } from "koa";
import type { User } from "../db/models";
import type { AppDeps } from "./deps";

export interface AppState {
  requestId: string;
  /** Set by requireUser(). */
  userId?: string;
  user?: User;
  /** Set by requireUser(): the login session (refresh-token family) of the access token. */
  sessionId?: string;
}

/** What our middleware adds to every Koa context; `input` is what validate() parsed. */
export interface AppExtensions<Input = unknown> {
  deps: AppDeps;
  input: Input;
  params: Record<string, string>;
  _matchedRoute?: string | RegExp;
}

export type AppContext<Input = unknown> = ParameterizedContext<AppState, AppExtensions<Input>>;
