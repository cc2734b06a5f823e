export { getAccountSummary, type QuotaSummary } from "./account-summary";
export { listUsers, updateUserByAdmin, type UserChanges } from "./admin-users";
export { resendVerification, verifyEmail } from "./email-verification";
export { welcomeFolderName } from "./first-login";
export { attemptLogin, type LoginResult } from "./login";
export { registerUser } from "./register-user";
export { revokeRefreshToken, rotateRefreshToken } from "./refresh-tokens";
export { emailKey, findUserByEmail } from "./users";
