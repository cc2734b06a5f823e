import { ApiError as ClientError, api, unwrap } from "../../lib/api/client";
import { ApiError, type OpenUpload, type UploadApi } from "../../uploads";

/** The typed client's error as the engine knows it; anything else (a failed fetch) stays a network failure. */
async function call<T>(request: () => Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  try {
    return unwrap(await request());
  } catch (error) {
    if (error instanceof ClientError)
      throw new ApiError(error.status, error.code, error.message, error.retryAfterSeconds);
    throw error;
  }
}

const file = (id: string) => ({ params: { path: { id } } });

/** The engine's six calls over the app's client (which refreshes the session on a 401). */
export const uploadApi: UploadApi = {
  startUpload: ({ name, sizeBytes, mimeType, folderId }) =>
    call(() => api.POST("/files/uploads", { body: { name, sizeBytes, mimeType, folderId } })),
  signParts: async (id, partNumbers) =>
    (await call(() => api.POST("/files/{id}/parts", { ...file(id), body: { partNumbers } }))).parts,
  listParts: async (id) => (await call(() => api.GET("/files/{id}/parts", file(id)))).parts,
  heartbeat: async (id) => {
    await call(() => api.POST("/files/{id}/heartbeat", file(id)));
  },
  complete: async (id, parts) =>
    (await call(() => api.POST("/files/{id}/complete", { ...file(id), body: { parts } }))).file,
  abort: async (id) => {
    await call(() => api.DELETE("/files/{id}/upload", file(id)));
  },
};

/** GET /uploads: the caller's uploads still open on the server, to list after a reload. */
export async function fetchOpenUploads(): Promise<OpenUpload[]> {
  return (await call(() => api.GET("/uploads"))).uploads;
}

/**
 * GET /files/{id}: where the scan of an uploaded file has got to. With `waitSeconds` the server holds
 * the answer while the file is processing, until its status changes or the time is up.
 */
export async function fetchFile(id: string, options: { waitSeconds?: number; signal?: AbortSignal } = {}) {
  const { waitSeconds, signal } = options;
  return (await call(() => api.GET("/files/{id}", { params: { path: { id }, query: { waitSeconds } }, signal }))).file;
}
