/**
 * Every secret value Coffer has shipped in .env.example or docker-compose.yml, current and past (an
 * old .env copied from the example still holds them). A production config refuses each of them
 * (lib/production-secrets.ts); lib/example-secrets.test.ts fails when the example files hold a
 * secret that is missing here.
 */
export const exampleSecrets: ReadonlySet<string> = new Set([
  // JWT_SECRET
  "dev-secret-change-me-please-0123456789abcdef",
  // S3_SECRET_KEY (MinIO's root password in compose)
  "coffer-secret-key",
  // ADMIN_PASSWORD
  "admin-password-change-me",
  // POSTGRES_PASSWORD in compose (and S3_ACCESS_KEY, which is a user name, not a secret)
  "coffer",
]);

export function isExampleSecret(value: string): boolean {
  return exampleSecrets.has(value.trim());
}
