import { execFile, spawn } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const common = path.resolve(__dirname, "..", "scripts", "lib", "common.sh");

// apt and dpkg lock with fcntl(2), not flock(2) (which apt ignores): hold one the same way.
// struct flock on 64-bit Linux: short l_type, short l_whence, off_t l_start, off_t l_len, pid_t l_pid.
const holdLock = `
  $| = 1;
  open(my $f, ">>", $ARGV[0]) or die "$!\\n";
  my $lock = pack("s s x4 q q i x4", F_WRLCK, 0, 0, 0, 0);
  fcntl($f, F_SETLKW, $lock) or die "$!\\n";
  print "held\\n";
  sleep $ARGV[1];
`;

/** Holds LOCK for `seconds`; resolves once it is held, with a promise of the holder's exit. */
function hold(lock: string, seconds: number): Promise<{ released: Promise<unknown> }> {
  const child = spawn("perl", ["-MFcntl", "-e", holdLock, lock, String(seconds)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const released = new Promise((resolve) => child.once("exit", resolve));
  return new Promise((resolve, reject) => {
    child.stdout.once("data", () => resolve({ released }));
    void released.then((code) => reject(new Error(`lock holder exited with ${String(code)} before taking the lock`)));
  });
}

// apt_install needs root (and apt); CI runs as root.
const asRoot = process.getuid?.() === 0;

(asRoot ? describe : describe.skip)("scripts: apt-get waits for another apt or dpkg", () => {
  // A private dpkg admin directory, package lists and cache (APT_CONFIG), so the test takes no lock
  // that another apt-get on this machine needs.
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "coffer-apt-"));
    await Promise.all(
      ["dpkg", "lists/partial", "cache/archives/partial", "sources"].map((sub) =>
        mkdir(path.join(dir, sub), { recursive: true }),
      ),
    );
    await copyFile("/var/lib/dpkg/status", path.join(dir, "dpkg/status"));
    const config = path.join(dir, "apt.conf");
    await writeFile(
      config,
      [
        `Dir::State::status "${dir}/dpkg/status";`,
        `Dir::State::Lists "${dir}/lists/";`,
        `Dir::State::extended_states "${dir}/extended_states";`,
        `Dir::Cache "${dir}/cache/";`,
        `Dir::Etc::sourcelist "/dev/null";`,
        `Dir::Etc::sourceparts "${dir}/sources/";`,
        "",
      ].join("\n"),
    );
    env = { PATH: process.env.PATH, HOME: process.env.HOME, APT_CONFIG: config };
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function timed(script: string): Promise<number> {
    const started = Date.now();
    await run("bash", ["-c", `source "${common}" && ${script}`], { env, timeout: 60_000 });
    return Date.now() - started;
  }

  it("apt_install of an installed package succeeds once the dpkg frontend lock is released", async () => {
    const holder = await hold(path.join(dir, "dpkg/lock-frontend"), 3);
    expect(await timed("apt_install bash")).toBeGreaterThanOrEqual(2000);
    await holder.released;
  });

  it("apt_get update succeeds once the package lists' lock is released", async () => {
    const holder = await hold(path.join(dir, "lists/lock"), 3);
    expect(await timed("apt_get update -q")).toBeGreaterThanOrEqual(2000);
    await holder.released;
  });
});
