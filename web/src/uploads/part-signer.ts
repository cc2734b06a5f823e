import type { Clock, SignedPart } from "./types";

/** Parts signed per call: the one a PUT waits for plus the next ones due. */
const BATCH_SIZE = 8;
/** A URL this close to its expiry is signed again rather than used. */
const EXPIRY_MARGIN_MS = 30_000;

export interface PartSigner {
  /** A usable URL for the part; signs it (and the `upcoming` parts) when there is none. */
  urlFor(partNumber: number, upcoming: () => number[]): Promise<string>;
  /** Storage refused the URL (expired): the next urlFor signs it again. */
  invalidate(partNumber: number): void;
}

/** Keeps signed part URLs of one upload, and batches signing so parallel PUTs share calls. */
export function createPartSigner(sign: (partNumbers: number[]) => Promise<SignedPart[]>, clock: Clock): PartSigner {
  const urls = new Map<number, { url: string; expiresAt: number }>();
  const signing = new Map<number, Promise<void>>();

  const usable = (partNumber: number): string | null => {
    const signed = urls.get(partNumber);
    return signed && signed.expiresAt - clock.now() > EXPIRY_MARGIN_MS ? signed.url : null;
  };

  const signBatch = (partNumbers: number[]): Promise<void> => {
    const batch = sign(partNumbers)
      .then((parts) => {
        for (const part of parts) urls.set(part.partNumber, { url: part.url, expiresAt: Date.parse(part.expiresAt) });
      })
      .finally(() => {
        for (const n of partNumbers) if (signing.get(n) === batch) signing.delete(n);
      });
    for (const n of partNumbers) signing.set(n, batch);
    return batch;
  };

  return {
    async urlFor(partNumber, upcoming) {
      const pending = signing.get(partNumber);
      if (pending) await pending;
      // A URL signed just now is used even if our clock says it expired (clocks drift; storage decides).
      const fresh = pending ? urls.get(partNumber) : undefined;
      if (fresh) return fresh.url;
      const url = usable(partNumber);
      if (url) return url;
      const others = upcoming().filter((n) => n !== partNumber && !signing.has(n) && !usable(n));
      await signBatch([partNumber, ...others].slice(0, BATCH_SIZE));
      const signed = urls.get(partNumber);
      if (!signed) throw new Error(`The server did not sign part ${partNumber}.`);
      return signed.url;
    },
    invalidate(partNumber) {
      urls.delete(partNumber);
    },
  };
}
