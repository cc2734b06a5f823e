import createClient from "openapi-fetch";
import type { components, paths } from "./schema";
import { API_BASE, sessionStore } from "./session";

export type ApiErrorBody = components["schemas"]["Error"];

/**
 * fetch with the access token; a 401 refreshes the session once (one refresh for the whole app) and
 * repeats the request with the new token.
 */
async function authFetch(input: Request): Promise<Response> {
  const retry = input.clone();
  const send = (request: Request) => {
    const token = sessionStore.get()?.accessToken;
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    return fetch(request);
  };
  const response = await send(input);
  if (response.status !== 401 || !sessionStore.get()) return response;
  const renewed = await sessionStore.refresh();
  return renewed ? send(retry) : response;
}

export const api = createClient<paths>({ baseUrl: API_BASE, fetch: authFetch, credentials: "same-origin" });

/** An answer of the API that is not a success, with the SPEC §6 error body's code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The data of an openapi-fetch result, or an ApiError carrying the server's code and message. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  const body = result.error as Partial<ApiErrorBody> | undefined;
  const retryAfter = Number(result.response.headers.get("Retry-After")) || undefined;
  throw new ApiError(
    result.response.status,
    body?.error?.code ?? "http_error",
    body?.error?.message ?? `The server answered ${result.response.status}.`,
    body?.error?.details,
    retryAfter,
  );
}

/** A message for people from any error a call threw. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return "The server cannot be reached. Check your connection and try again.";
  return "Something went wrong. Try again.";
}
