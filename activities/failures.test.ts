import { ApplicationFailure } from "@temporalio/common";
import { DomainError } from "../lib/domain-errors";
import { mappingFailures, toActivityFailure } from "./failures";

describe("activity failures", () => {
  it("makes a refusal of the domain a final failure typed by its code, with its details", () => {
    const failure = toActivityFailure(new DomainError("upload_closed", "This upload is no longer open.", { id: "x" }));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      type: "upload_closed",
      message: "This upload is no longer open.",
      nonRetryable: true,
      details: [{ id: "x" }],
    });
  });

  it("lets Temporal retry an object-store outage", () => {
    const failure = toActivityFailure(new DomainError("storage_unavailable", "File storage is unavailable."));
    expect(failure).toMatchObject({ type: "storage_unavailable", nonRetryable: false });
  });

  it("passes any other error through as it is, to be retried under the activity's policy", () => {
    const bug = new TypeError("undefined is not a function");
    expect(toActivityFailure(bug)).toBe(bug);
  });

  it("maps what a wrapped activity throws and keeps what it returns", async () => {
    const activities = mappingFailures({
      async find(id: string) {
        if (id === "gone") throw new DomainError("not_found", "No such file.");
        return id.length;
      },
    });
    expect(await activities.find("abc")).toBe(3);
    await expect(activities.find("gone")).rejects.toMatchObject({ type: "not_found", nonRetryable: true });
  });
});
