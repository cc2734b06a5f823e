import type { UploadEngine } from "./types";

/** The bits of `window` this needs. */
export interface ConnectivitySource {
  readonly navigator: { readonly onLine: boolean };
  addEventListener(type: "online" | "offline", listener: () => void): void;
  removeEventListener(type: "online" | "offline", listener: () => void): void;
}

/** Going offline pauses the engine's work; the `online` event resumes it. Returns the unsubscribe. */
export function followConnectivity(engine: Pick<UploadEngine, "setOnline">, source: ConnectivitySource): () => void {
  const online = () => engine.setOnline(true);
  const offline = () => engine.setOnline(false);
  engine.setOnline(source.navigator.onLine);
  source.addEventListener("online", online);
  source.addEventListener("offline", offline);
  return () => {
    source.removeEventListener("online", online);
    source.removeEventListener("offline", offline);
  };
}
