import type { DomainErrorCode } from "../../lib/domain-errors";
import { routeTable } from "../routes";
import { STATUS_OF_DOMAIN_ERROR } from "./error-handler";

/** Codes the API layer answers itself at another status than the domain's (a share's password, an access token). */
const API_LAYER_ERRORS = new Set(["401 wrong_password", "401 invalid_token"]);

const isDomainCode = (code: string): code is DomainErrorCode => code in STATUS_OF_DOMAIN_ERROR;

describe("the status of each domain error", () => {
  it("is the one the API description promises for it, in every operation", () => {
    const promised = routeTable.flatMap((op) =>
      (op.errors ?? [])
        .filter(([status, code]) => isDomainCode(code) && STATUS_OF_DOMAIN_ERROR[code] !== status)
        .map(([status, code]) => `${status} ${code}`)
        .filter((error) => !API_LAYER_ERRORS.has(error))
        .map((error) => `${op.operationId}: ${error}`),
    );
    expect(promised).toEqual([]);
  });
});
