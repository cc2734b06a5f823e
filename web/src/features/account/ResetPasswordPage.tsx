import { Alert, Anchor, Button, PasswordInput, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { AuthCard } from "../../components/AuthCard";
import { ApiError, api, errorMessage, unwrap } from "../../lib/api/client";

export const MIN_PASSWORD_LENGTH = 10;

/** /reset?token=: the mailed link lands here; a new password ends every session and leads to log in. */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const token = params.get("token") ?? "";
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [invalidLink, setInvalidLink] = useState(!token);
  const [busy, setBusy] = useState(false);
  const mismatch = confirm !== "" && confirm !== password;

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (mismatch) return;
    setBusy(true);
    setError(null);
    try {
      unwrap(await api.POST("/auth/password/reset", { body: { token, password } }));
      void navigate("/login?reset=1", { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.code === "invalid_token") setInvalidLink(true);
      else setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (invalidLink)
    return (
      <AuthCard title="This link does not work">
        <Stack>
          <Alert color="red" role="alert">
            The reset link is invalid, expired or already used. Ask for a new one.
          </Alert>
          <Anchor component={Link} to="/forgot">
            Send me a new link
          </Anchor>
        </Stack>
      </AuthCard>
    );

  return (
    <AuthCard title="Choose a new password">
      <form onSubmit={(e) => void submit(e)}>
        <Stack>
          <Text size="sm">
            At least {MIN_PASSWORD_LENGTH} characters. Every device signed in to your account will be signed out.
          </Text>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <PasswordInput
            label="New password"
            autoComplete="new-password"
            required
            minLength={MIN_PASSWORD_LENGTH}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <PasswordInput
            label="Repeat the new password"
            autoComplete="new-password"
            required
            value={confirm}
            error={mismatch ? "The two passwords differ." : undefined}
            onChange={(e) => setConfirm(e.currentTarget.value)}
          />
          <Button type="submit" loading={busy}>
            Set the new password
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
