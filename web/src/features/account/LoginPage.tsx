import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from "@mantine/core";
import { useEffect, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { AuthCard } from "../../components/AuthCard";
import { ApiError, api, errorMessage, unwrap } from "../../lib/api/client";
import { sessionStore } from "../../lib/api/session";
import { clearLoginFlash, peekLoginFlash } from "./flash";

export function LoginPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [flash] = useState(peekLoginFlash);
  useEffect(clearLoginFlash, []);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      sessionStore.set(unwrap(await api.POST("/auth/login", { body: { email, password } })));
      const next = params.get("next");
      void navigate(next?.startsWith("/") && !next.startsWith("//") ? next : "/", { replace: true });
    } catch (e) {
      setError(
        e instanceof ApiError && e.code === "email_not_verified"
          ? "Confirm your e-mail address first: open the link we sent you."
          : errorMessage(e),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard
      title="Log in"
      footer={
        <>
          No account yet?{" "}
          <Anchor component={Link} to="/register">
            Sign up
          </Anchor>
        </>
      }
    >
      <form onSubmit={(e) => void submit(e)}>
        <Stack>
          {params.get("verified") && <Alert color="green">Your address is confirmed. Log in to start.</Alert>}
          {params.get("reset") && (
            <Alert color="green" role="status">
              Your password is changed and every session was signed out. Log in with the new password.
            </Alert>
          )}
          {flash === "account_deleted" && (
            <Alert color="green" role="status">
              Your account is being deleted. Thank you for using Coffer.
            </Alert>
          )}
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <TextInput
            label="E-mail"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" loading={busy}>
            Log in
          </Button>
          <Anchor component={Link} to="/forgot" size="sm">
            Forgot your password?
          </Anchor>
        </Stack>
      </form>
    </AuthCard>
  );
}
