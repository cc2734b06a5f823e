// Every workflow the worker runs is exported from here.
export { fileLifecycle, stepQuery } from "./file-lifecycle";
export { shareCleanup } from "./share-cleanup";
export { nightlyMaintenance } from "./nightly-maintenance";
export { uploadHousekeeping } from "./upload-housekeeping";
export { accountDeletion } from "./account-deletion";
export { webhookDelivery } from "./webhook-delivery";
