export { BaseModel } from "./base-model";
export { File, type FileStatus } from "./file";
export { Folder } from "./folder";
export { AuditEntry, LoginAttempt, ShareDownload, UploadEvent, type UploadEventType } from "./log-entries";
export { Plan } from "./plan";
export { Share } from "./share";
export { EmailVerification, PasswordReset, RefreshToken } from "./tokens";
export { User, type Role } from "./user";
