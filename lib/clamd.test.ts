import { ClamdSizeLimitError, ClamdUnavailableError, parseScanReply } from "./clamd";

describe("parseScanReply", () => {
  it("reads a clean verdict", () => {
    expect(parseScanReply("stream: OK")).toEqual({ outcome: "clean" });
  });

  it("reads the signature of an unofficial database", () => {
    expect(parseScanReply("stream: Eicar-Test-Signature.UNOFFICIAL FOUND")).toEqual({
      outcome: "infected",
      signature: "Eicar-Test-Signature.UNOFFICIAL",
    });
  });

  it("tells the size limit apart from other errors", () => {
    expect(() => parseScanReply("INSTREAM size limit exceeded. ERROR")).toThrow(ClamdSizeLimitError);
    expect(() => parseScanReply("COMMAND READ TIMED OUT")).toThrow(ClamdUnavailableError);
    expect(() => parseScanReply("")).toThrow(ClamdUnavailableError);
  });
});
