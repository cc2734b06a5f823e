/**
 * What each file status means for its bytes, the owner's quota, downloads and the lifecycle, in one
 * table. Reconcile, purge, quota, listings and downloads read it instead of listing statuses; a new
 * status does not compile until it has a row here.
 */

export const FILE_STATUSES = ["uploading", "processing", "ready", "quarantined", "failed", "rejected"] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

export interface FileStatusRule {
  /** Its object must not be deleted as an orphan (an upload's parts count: they become the object). */
  keepsBytes: boolean;
  /** A complete object must exist under its key; the nightly reconcile reports one that is missing. */
  hasObject: boolean;
  /** Which reconcile area its s3Key lies in. */
  area: "files" | "quarantine";
  /** Which counter its size sits in: reserved while uploading, used once stored, none after. */
  countsAgainstQuota: "reserved_bytes" | "used_bytes" | false;
  /** It may be downloaded, shared and thumbnailed. */
  servable: boolean;
  /** No workflow moves it on: only a delete ends it. */
  terminal: boolean;
  /** It takes its name in its folder (the files_live_name_unique index covers these). */
  holdsName: boolean;
  /** Folder listings and search show it. */
  listed: boolean;
}

export const FILE_STATUS_RULES = {
  uploading: {
    keepsBytes: true,
    hasObject: false,
    area: "files",
    countsAgainstQuota: "reserved_bytes",
    servable: false,
    terminal: false,
    holdsName: true,
    listed: true,
  },
  processing: {
    keepsBytes: true,
    hasObject: true,
    area: "files",
    countsAgainstQuota: "used_bytes",
    servable: false,
    terminal: false,
    holdsName: true,
    listed: true,
  },
  ready: {
    keepsBytes: true,
    hasObject: true,
    area: "files",
    countsAgainstQuota: "used_bytes",
    servable: true,
    terminal: true,
    holdsName: true,
    listed: true,
  },
  quarantined: {
    keepsBytes: true,
    hasObject: true,
    area: "quarantine",
    countsAgainstQuota: false,
    servable: false,
    terminal: true,
    holdsName: false,
    listed: true,
  },
  failed: {
    keepsBytes: false,
    hasObject: false,
    area: "files",
    countsAgainstQuota: false,
    servable: false,
    terminal: true,
    holdsName: false,
    listed: false,
  },
  rejected: {
    keepsBytes: false,
    hasObject: false,
    area: "files",
    countsAgainstQuota: false,
    servable: false,
    terminal: true,
    holdsName: false,
    listed: true,
  },
} as const satisfies Record<FileStatus, FileStatusRule>;

/** The statuses for which `test` holds, in FILE_STATUSES order (for knex `whereIn`, or `status = ANY(?)` in raw SQL). */
export function statusesWhere(test: (rule: FileStatusRule) => boolean): FileStatus[] {
  return FILE_STATUSES.filter((status) => test(FILE_STATUS_RULES[status]));
}

/** A list of statuses as SQL literals for a constant query text: `'processing', 'ready'`. */
export const sqlStatusList = (statuses: readonly FileStatus[]) => statuses.map((status) => `'${status}'`).join(", ");

/** The rule of one status. */
export const statusRule = (status: FileStatus): FileStatusRule => FILE_STATUS_RULES[status];

/** Statuses whose size is in used_bytes: what the reconcile sums and a delete refunds. */
export const USED_BYTES_STATUSES = statusesWhere((rule) => rule.countsAgainstQuota === "used_bytes");
/** Statuses that take their name in a folder. */
export const NAME_HOLDING_STATUSES = statusesWhere((rule) => rule.holdsName);
/** Statuses that use quota in either counter (GET /me counts these files). */
export const QUOTA_STATUSES = statusesWhere((rule) => rule.countsAgainstQuota !== false);
/** Statuses whose bytes may be served: downloads, shares, thumbnails. */
export const SERVABLE_STATUSES = statusesWhere((rule) => rule.servable);
/** Statuses listings and search show. */
export const LISTED_STATUSES = statusesWhere((rule) => rule.listed);
