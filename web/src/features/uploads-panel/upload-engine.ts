import { sessionStore } from "../../lib/api/session";
import {
  createUploadEngine,
  createXhrTransport,
  followConnectivity,
  type OpenUpload,
  type UploadEngine,
} from "../../uploads";
import { uploadApi } from "./upload-api";

let engine: UploadEngine | null = null;

/** The open uploads found after a reload, by file id: the picker of a waiting row hands one back to the engine. */
export const openUploads = new Map<string, OpenUpload>();

/**
 * The app's one upload engine, made on first use; it outlives pages, so uploads go on while the user
 * navigates. Signing out (or in as someone else) drops it without touching the server: the open
 * uploads stay for their owner to resume, or for housekeeping to abort.
 */
export function uploadEngine(): UploadEngine {
  if (engine) return engine;
  const current = createUploadEngine({ api: uploadApi, transport: createXhrTransport(), storage: window.localStorage });
  const ownerId = sessionStore.get()?.user.id;
  const unfollow = followConnectivity(current, window);
  const unsubscribe = sessionStore.subscribe(() => {
    if (sessionStore.get()?.user.id === ownerId) return;
    unsubscribe();
    unfollow();
    current.dispose();
    openUploads.clear();
    if (engine === current) engine = null;
  });
  engine = current;
  return current;
}
