/** The upload engine's public surface: what web/src/features/uploads-panel and the app use. */
export { ApiError } from "./api-error";
export { systemClock } from "./clock";
export { followConnectivity } from "./connectivity";
export { createUploadEngine } from "./engine";
export { createXhrTransport } from "./xhr-transport";
export type {
  ApiFile,
  Clock,
  CompletedPart,
  FinishedState,
  HintStorage,
  NewUpload,
  OpenUpload,
  PutResult,
  ResumeRefusal,
  ResumeResult,
  SignedPart,
  StartUploadInput,
  StartedUpload,
  StoredPart,
  Transport,
  UploadApi,
  UploadEngine,
  UploadEngineOptions,
  UploadRow,
  UploadSnapshot,
  UploadSource,
  UploadState,
  UploadTotals,
} from "./types";
