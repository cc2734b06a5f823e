import { Alert, Anchor, Button, Stack, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import { Link } from "react-router";
import { AuthCard } from "../../components/AuthCard";
import { api, errorMessage, unwrap } from "../../lib/api/client";

/** /forgot: asks for a reset link. The answer is the same whether the address has an account or not. */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState("");
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      unwrap(await api.POST("/auth/password/forgot", { body: { email } }));
      setSentTo(email);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard
      title="Reset your password"
      footer={
        <Anchor component={Link} to="/login">
          Back to log in
        </Anchor>
      }
    >
      {sentTo ? (
        <Alert color="green" role="status">
          <strong>Check your mail.</strong> If {sentTo} has a Coffer account, a link to choose a new password is on its
          way. It works once, for one hour.
        </Alert>
      ) : (
        <form onSubmit={(e) => void submit(e)}>
          <Stack>
            <Text size="sm">
              Enter the address you signed up with; we will mail you a link to choose a new password.
            </Text>
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
            <Button type="submit" loading={busy}>
              Send the link
            </Button>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}
