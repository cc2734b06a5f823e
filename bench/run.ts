/** `pnpm bench <name>`: runs bench/<name>.ts (built into dist/bench) against the local stack. */
const benches = [
  "upload",
  "scan",
  "download",
  "share-cleanup",
  "analytics",
  "reconcile",
  "web-upload",
  "small-files",
  "zip",
  "load",
  "large-file",
] as const;
const name = process.argv[2];

if (!benches.includes(name as (typeof benches)[number])) {
  console.error(`usage: pnpm bench <${benches.join("|")}>`);
  process.exit(2);
}
void import(`./${name}`);
