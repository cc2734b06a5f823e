import { BaseModel } from "./base-model";

export type Role = "user" | "admin";

export class User extends BaseModel {
  static override tableName = "users";

  id!: string;
  email!: string;
  name!: string | null;
  passwordHash!: string;
  role!: Role;
  emailVerifiedAt!: Date | null;
  quotaBytes!: number;
  /** The plan whose file limits apply; null: only the global limits. */
  planId!: string | null;
  usedBytes!: number;
  reservedBytes!: number;
  disabledAt!: Date | null;
  firstLoginAt!: Date | null;
  /** Set by DELETE /me: the account is locked while the AccountDeletion workflow removes it. */
  deletionRequestedAt!: Date | null;
  /** Mail me when an upload of mine is ready (GET/PATCH /me/notifications/settings). */
  mailWhenReady!: boolean;

  /** The fields a client may see. */
  toPublic() {
    return {
      id: this.id,
      email: this.email,
      name: this.name,
      role: this.role,
      emailVerified: this.emailVerifiedAt !== null,
      disabled: this.disabledAt !== null,
      createdAt: this.createdAt,
    };
  }
}
