// Shared by the worker and the FileLifecycle workflow, so it imports nothing (workflow bundle).

/**
 * The task queue of scans (scanFile, scanAndMarkReady), beside a workflow's own queue: a worker polls
 * it with SCAN_CONCURRENCY slots, so scans never take the slots of everything else.
 */
export const scanQueueOf = (taskQueue: string) => `${taskQueue}-scan`;

/** The task queue of thumbnails and previews (createThumbnail, createPreview): PREVIEW_CONCURRENCY slots. */
export const previewQueueOf = (taskQueue: string) => `${taskQueue}-preview`;
