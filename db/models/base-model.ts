import { Model, snakeCaseMappers } from "objection";

/** Columns are snake_case in PostgreSQL and camelCase in code; timestamps are kept by the model. */
export class BaseModel extends Model {
  static override get columnNameMappers() {
    return snakeCaseMappers();
  }

  createdAt?: Date;
  updatedAt?: Date;

  override $beforeUpdate(): void {
    this.updatedAt = new Date();
  }
}
