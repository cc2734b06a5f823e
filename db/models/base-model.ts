import { Model } from "objection";

/** Timestamps kept by the model; names are mapped to snake_case by the knex config (db/knexfile.ts). */
export class BaseModel extends Model {
  createdAt?: Date;
  updatedAt?: Date;

  override $beforeUpdate(): void {
    this.updatedAt = new Date();
  }
}
