import type { AddressInfo } from "node:net";
import { createApp } from "../api/app";
import type { AppDeps } from "../api/deps";
import { apiPathOf } from "../api/route-table";
import { Storage } from "../lib/s3";

/** A real S3 client pointed at a port nothing listens on: every call is refused, as while MinIO restarts. */
export function unreachableStorage(deps: Pick<AppDeps, "config">): Storage {
  return new Storage({
    endpoint: "http://127.0.0.1:1",
    region: deps.config.S3_REGION,
    accessKeyId: deps.config.S3_ACCESS_KEY,
    secretAccessKey: deps.config.S3_SECRET_KEY,
    bucket: deps.config.S3_BUCKET,
  });
}

/** The app as it runs while S3 does not answer; the database and the rest are the real ones. */
export async function startAppWithStorageAway(deps: AppDeps) {
  const away = unreachableStorage(deps);
  const server = createApp({ ...deps, storage: away }).listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${apiPathOf(deps.config.API_URL)}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      away.destroy();
    },
  };
}
