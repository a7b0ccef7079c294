import { describe, expect, it } from "vitest";
import { replyMessageFor } from "../auth-log/reason-messages";
import { apiStatusMessage } from "./api-status-message";

describe("apiStatusMessage", () => {
  it("factor_not_allowed says which factors the application accepts, as the RADIUS Reply-Message does", () => {
    const reply = replyMessageFor({ reason: "factor_not_allowed", accepts: ["totp", "hotp"] });
    expect(apiStatusMessage("factor_not_allowed", reply)).toBe(
      "That factor is not available for your account. This application accepts a passcode from an authenticator app or a passcode from a hardware token.",
    );
    expect(apiStatusMessage("factor_not_allowed", replyMessageFor({ reason: "factor_not_allowed" }))).toBe("That factor is not available for your account.");
  });
  it("keeps the API's own texts where RADIUS speaks of passwords and commas", () => {
    expect(apiStatusMessage("invalid_passcode", "Incorrect code: add a comma and your passcode")).toBe("Enter a passcode: no push device is available for your account.");
    expect(apiStatusMessage("invalid_passcode")).toBe("Incorrect passcode. Please try again.");
  });
});
