import { BaseModel } from "./base-model";

export class Folder extends BaseModel {
  static override tableName = "folders";

  id!: string;
  ownerId!: string;
  parentId!: string | null;
  name!: string;
  trashedAt!: Date | null;
}
