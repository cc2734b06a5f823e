import { readFileSync } from "node:fs";
import { Client, Connection, type TLSConfig } from "@temporalio/client";
import type { Config } from "./config";

export type TemporalConnectionConfig = Pick<
  Config,
  | "TEMPORAL_ADDRESS"
  | "TEMPORAL_NAMESPACE"
  | "TEMPORAL_API_KEY"
  | "TEMPORAL_TLS"
  | "TEMPORAL_TLS_CLIENT_CERT_PATH"
  | "TEMPORAL_TLS_CLIENT_KEY_PATH"
  | "TEMPORAL_TLS_SERVER_CA_CERT_PATH"
  | "TEMPORAL_TLS_SERVER_NAME"
>;

/** What both the client's Connection and the worker's NativeConnection take. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
}

/**
 * The connection options of the config: plain TCP to a local dev server; TLS with an API key for
 * Temporal Cloud; mTLS with a client certificate (and a private CA, a server name) for Temporal
 * Cloud or a self-hosted cluster. The variable names are those of the Temporal SDK's envconfig.
 * Certificate files are read here, once: a missing file stops the process at start.
 */
export function temporalConnectionOptions(
  config: TemporalConnectionConfig,
  readFile: (path: string) => Buffer = readFileSync,
): TemporalConnectionOptions {
  const options: TemporalConnectionOptions = { address: config.TEMPORAL_ADDRESS };
  if (config.TEMPORAL_API_KEY) options.apiKey = config.TEMPORAL_API_KEY;
  const tls: TLSConfig = {};
  if (config.TEMPORAL_TLS_CLIENT_CERT_PATH && config.TEMPORAL_TLS_CLIENT_KEY_PATH)
    tls.clientCertPair = {
      crt: readFile(config.TEMPORAL_TLS_CLIENT_CERT_PATH),
      key: readFile(config.TEMPORAL_TLS_CLIENT_KEY_PATH),
    };
  if (config.TEMPORAL_TLS_SERVER_CA_CERT_PATH)
    tls.serverRootCACertificate = readFile(config.TEMPORAL_TLS_SERVER_CA_CERT_PATH);
  if (config.TEMPORAL_TLS_SERVER_NAME) tls.serverNameOverride = config.TEMPORAL_TLS_SERVER_NAME;
  const wantsTls = config.TEMPORAL_TLS ?? (options.apiKey !== undefined || Object.keys(tls).length > 0);
  if (wantsTls) options.tls = Object.keys(tls).length > 0 ? tls : true;
  return options;
}

/**
 * A client whose connection is opened on first use, so the API starts (and reports temporal down in
 * /health) while the Temporal server is away.
 */
export function createTemporalClient(config: TemporalConnectionConfig): Client {
  const connection = Connection.lazy(temporalConnectionOptions(config));
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
}

/** Resolves when the Temporal frontend answers within `timeoutMs`. */
export async function checkTemporal(client: Client, timeoutMs: number): Promise<void> {
  await client.connection.withDeadline(Date.now() + timeoutMs, () => client.workflowService.getSystemInfo({}));
}
