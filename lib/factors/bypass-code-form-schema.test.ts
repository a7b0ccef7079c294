import { describe, expect, it } from "vitest";
import { validationError } from "../api/parse-input";
import { ZBypassCodeFormSchema } from "./generate-bypass-codes";

const errorsOf = (input: unknown) => {
  const parsed = ZBypassCodeFormSchema.safeParse(input);
  return parsed.success ? undefined : validationError(parsed.error).fieldErrors;
};

describe("ZBypassCodeFormSchema", () => {
  it("takes whole hours from 1 to 2160 (90 days)", () => {
    expect(ZBypassCodeFormSchema.parse({ expiresInHours: "1" })).toEqual({ expiresInHours: 1 });
    expect(ZBypassCodeFormSchema.parse({ expiresInHours: " 24 " })).toEqual({ expiresInHours: 24 });
    expect(ZBypassCodeFormSchema.parse({ expiresInHours: "2160" })).toEqual({ expiresInHours: 2160 });
  });

  it("refuses anything else beside the field instead of falling back to 24 h", () => {
    for (const expiresInHours of ["abc", "0", "-3", "2161", "1.5", "1e3", "", "   ", undefined]) {
      expect({ expiresInHours, errors: errorsOf({ expiresInHours }) }).toEqual({
        expiresInHours,
        errors: { expiresInHours: ["Enter a whole number of hours from 1 to 2160"] },
      });
    }
  });
});
