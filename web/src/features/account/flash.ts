/** A one-time message for the login page that survives the redirects a sign-out sets off. */
const key = "coffer.login-flash";

export type LoginFlash = "account_deleted";

export function setLoginFlash(flash: LoginFlash): void {
  sessionStorage.setItem(key, flash);
}

/** The pending message, if any (clearLoginFlash once it is shown). */
export function peekLoginFlash(): LoginFlash | null {
  return sessionStorage.getItem(key) === "account_deleted" ? "account_deleted" : null;
}

export function clearLoginFlash(): void {
  sessionStorage.removeItem(key);
}
