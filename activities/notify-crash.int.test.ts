import net from "node:net";
import { fileLifecycleId } from "../lib/file-lifecycle";
import { createUser } from "../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../test/files-testbed";
import { mailsTo } from "../test/mailpit";
import { eicar } from "../test/samples";
import { api, uploadFile } from "../test/uploads";
import { freePort, spawnWorker, type WorkerProcess } from "../test/worker-process";

/**
 * A TCP proxy in front of Mailpit's SMTP port that calls `onAccepted` instead of passing on the
 * server's answer to the end of a message's DATA: the mail is in Mailpit, the sender never hears so.
 */
async function startSmtpTrap(onAccepted: () => void) {
  const port = await freePort();
  // Mailpit's SMTP port, from the stack's settings (SMTP_URL in .env).
  const upstreamPort = Number(new URL(process.env.SMTP_URL ?? "smtp://127.0.0.1:1025").port || 25);
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, "127.0.0.1");
    let sent = "";
    let messageEnded = false;
    client.on("data", (chunk) => {
      sent = (sent + chunk.toString("latin1")).slice(-16);
      if (sent.endsWith("\r\n.\r\n")) messageEnded = true;
      upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      if (messageEnded) {
        onAccepted();
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.end());
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("a worker killed between sending a notification mail and recording it", () => {
  let bed: FilesTestbed;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    bed = await startFilesTestbed({}, { worker: false });
  });
  afterAll(async () => {
    for (const worker of workers) {
      worker.child.kill("SIGKILL");
      await worker.exited;
    }
    await bed.close();
  });

  it("sends the owner one mail and adds one notification, after the retry on another worker", async () => {
    const user = await createUser(bed.deps);
    let first: WorkerProcess | undefined;
    let killed = false;
    const trap = await startSmtpTrap(() => {
      killed = true;
      first?.child.kill("SIGKILL");
    });
    try {
      first = await spawnWorker({ TEMPORAL_TASK_QUEUE: bed.taskQueue, SMTP_URL: trap.url });
      workers.push(first);
      const { fileId } = await uploadFile(bed.server.url, user, "dropper.com", eicar);
      await first.exited;
      expect(killed).toBe(true);
      // The mail went out; the worker died before it could record that.
      expect(await mailsTo(user.user.email)).toHaveLength(1);
      const [claim] = await bed.deps
        .db("mail_deliveries")
        .where({ idempotencyKey: `file.quarantined:${fileId}:owner` });
      expect(claim.state).toBe("sending");

      // Another worker takes the notification over once the first one's heartbeat is missed.
      workers.push(await spawnWorker({ TEMPORAL_TASK_QUEUE: bed.taskQueue }));
      const handle = bed.deps.temporal.workflow.getHandle(fileLifecycleId(fileId));
      expect(await handle.result()).toBe("quarantined");
      const history = await handle.fetchHistory();
      const notifyAttempts = history.events!.filter(
        (event) => event.activityTaskStartedEventAttributes && event.activityTaskStartedEventAttributes.attempt! > 1,
      );
      expect(notifyAttempts.length).toBeGreaterThan(0);

      const mails = await mailsTo(user.user.email);
      expect(mails).toHaveLength(1);
      expect(mails[0].subject).toContain('quarantined "dropper.com"');
      const notices = await api(bed.server.url, "GET", "/me/notifications", { user });
      expect(notices.body.notifications).toHaveLength(1);
      expect(notices.body.notifications[0]).toMatchObject({ kind: "file.quarantined", fileId });
    } finally {
      await trap.close();
    }
  });
});
