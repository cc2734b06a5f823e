import { readFileSync } from "node:fs";
import path from "node:path";
import dotenv from "dotenv";
import { exampleSecrets } from "./example-secrets";

const root = path.join(__dirname, "..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

/** Names of variables that hold a secret (access keys are user names that travel with one), not their settings. */
const secretWords = /SECRET|PASSWORD|PASSWD|PWD|TOKEN|PRIVATE_KEY|API_KEY/;
const settingSuffix = /_(SECONDS|MINUTES|HOURS|DAYS|MS|FAILURES|BYTES|COUNT|LENGTH|ENABLED|CONCURRENCY|PER_MINUTE)$/;
const secretName = { test: (name: string) => secretWords.test(name) && !settingSuffix.test(name) };

/** Passwords written into URLs: scheme://user:password@host. */
function urlPasswords(text: string): string[] {
  return [...text.matchAll(/[a-z][a-z0-9+.-]*:\/\/[^\s:@/"']+:([^\s@/"']+)@/gi)].map((match) => match[1]);
}

/** Every secret-looking value a file ships: `NAME=value`, `NAME: value`, `${NAME:-value}` and URL passwords. */
function shippedSecrets(text: string): { where: string; value: string }[] {
  const found: { where: string; value: string }[] = [];
  for (const [, name, value] of text.matchAll(/\$\{([A-Z0-9_]+):?-([^}]*)\}/g)) {
    if (secretName.test(name) && value) found.push({ where: name, value });
  }
  for (const [, name, value] of text.matchAll(/^\s*([A-Z][A-Z0-9_]*)\s*[:=]\s*"?([^"\n#]*)"?/gm)) {
    const literal = value.trim();
    if (secretName.test(name) && literal && !literal.includes("${")) found.push({ where: name, value: literal });
  }
  for (const password of urlPasswords(text)) {
    const value = password.replace(/^\$\{[A-Z0-9_]+:?-([^}]*)\}$/, "$1");
    if (value && !value.startsWith("${")) found.push({ where: "a URL", value });
  }
  return found;
}

describe("exampleSecrets", () => {
  it.each([".env.example", "docker-compose.yml"])("lists every secret %s ships", (file) => {
    const missing = shippedSecrets(read(file)).filter(({ value }) => !exampleSecrets.has(value));
    expect(missing).toEqual([]);
  });

  it("finds the secrets of .env.example, so the check above can fail", () => {
    const env = dotenv.parse(read(".env.example"));
    const found = shippedSecrets(read(".env.example")).map(({ value }) => value);
    for (const name of ["JWT_SECRET", "S3_SECRET_KEY", "ADMIN_PASSWORD"]) expect(found).toContain(env[name]);
    expect(
      shippedSecrets("  POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-hunter2}\n  DATABASE_URL: postgres://u:pw@db/x\n"),
    ).toEqual([
      { where: "POSTGRES_PASSWORD", value: "hunter2" },
      { where: "a URL", value: "pw" },
    ]);
  });
});
