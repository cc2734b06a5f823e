import { isExampleSecret } from "./example-secrets";

/** A check of one secret's value: the problem, or undefined when it passes. */
type SecretRule = (value: string) => string | undefined;

const notAnExample: SecretRule = (value) =>
  isExampleSecret(value) ? "is an example value shipped with Coffer; set a secret of your own" : undefined;

const atLeast =
  (length: number): SecretRule =>
  (value) =>
    value.length < length ? `must be at least ${length} characters in production` : undefined;

/** Random secrets use many different characters; "aaaa…" or "changeme" repeated do not. */
const varied: SecretRule = (value) => {
  const repeatsAShorterPattern = (value + value).indexOf(value, 1) < value.length;
  return new Set(value).size < 8 || repeatsAShorterPattern
    ? "is too predictable: use at least 8 different characters, not a repeated pattern (openssl rand -base64 48)"
    : undefined;
};

/** The secrets of the environment and what production requires of each beyond the schema. */
const secretRules: Record<string, SecretRule[]> = {
  JWT_SECRET: [notAnExample, varied],
  JWT_SECRET_PREVIOUS: [notAnExample, varied],
  S3_SECRET_KEY: [notAnExample, atLeast(16)],
  S3_UPLOAD_SECRET_KEY: [notAnExample, atLeast(16)],
  S3_DOWNLOAD_SECRET_KEY: [notAnExample, atLeast(16)],
  ADMIN_PASSWORD: [notAnExample, atLeast(12)],
};

/** URLs that may carry a password (postgres://user:password@host/db). */
const urlsWithCredentials = ["DATABASE_URL", "REDIS_URL", "SMTP_URL"];

function urlPassword(value: string): string | undefined {
  try {
    return decodeURIComponent(new URL(value).password) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a production environment (NODE_ENV=production) may not run with: an example secret from
 * .env.example or docker-compose.yml, or one too weak. One problem per variable; unset and empty
 * variables are the schema's business.
 */
export function productionSecretProblems(env: Record<string, string | undefined>): { name: string; message: string }[] {
  if (env.NODE_ENV !== "production") return [];
  const problems: { name: string; message: string }[] = [];
  for (const [name, rules] of Object.entries(secretRules)) {
    const value = env[name];
    if (!value) continue;
    const message = rules.map((rule) => rule(value)).find((problem) => problem !== undefined);
    if (message) problems.push({ name, message });
  }
  for (const name of urlsWithCredentials) {
    const password = urlPassword(env[name] ?? "");
    if (password && isExampleSecret(password)) {
      problems.push({ name, message: "has an example password shipped with Coffer; set a password of your own" });
    }
  }
  return problems;
}
