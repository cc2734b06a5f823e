import { Alert, Anchor, Loader, Stack } from "@mantine/core";
import { useEffect, useRef, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { AuthCard } from "../../components/AuthCard";
import { api, errorMessage, unwrap } from "../../lib/api/client";

/** The mailed link lands here: it confirms the address once and sends the user on to log in. */
export function VerifyPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const sent = useRef(false);

  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    const token = params.get("token") ?? "";
    void (async () => {
      try {
        unwrap(await api.POST("/auth/verify", { body: { token } }));
        void navigate("/login?verified=1", { replace: true });
      } catch (e) {
        setError(errorMessage(e));
      }
    })();
  }, [params, navigate]);

  return (
    <AuthCard title="Confirming your address">
      {error ? (
        <Stack>
          <Alert color="red" role="alert">
            {error}
          </Alert>
          <Anchor component={Link} to="/login">
            Go to log in
          </Anchor>
        </Stack>
      ) : (
        <Loader aria-label="Confirming" />
      )}
    </AuthCard>
  );
}
