import { BaseModel } from "./base-model";

export class Folder extends BaseModel {
  static override tableName = "folders";

  id!: string;
  ownerId!: string;
  parentId!: string | null;
  name!: string;
  trashedAt!: Date | null;
  /** The file or folder whose deletion put this one in the trash. */
  trashRootId!: string | null;
}
