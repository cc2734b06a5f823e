import { BaseModel } from "./base-model";

/** A tier an admin assigns: its quota is copied to the user's own quota_bytes, its two limits apply at upload init. */
export class Plan extends BaseModel {
  static override tableName = "plans";

  id!: string;
  name!: string;
  quotaBytes!: number;
  /** Files a user on this plan may hold (the same files GET /me counts in filesCount). */
  maxFiles!: number;
  /** The largest single file; PUBLIC_MAX_BYTES still caps it. */
  maxFileBytes!: number;
}
