import { describe, expect, it } from "vitest";
import { buildNameSearch, escapeLikePrefix } from "./build-name-search";

describe("buildNameSearch", () => {
  it("escapes LIKE's wildcards and its escape character, so they find only themselves", () => {
    expect(escapeLikePrefix("a%b_c\\d")).toBe("a\\%b\\_c\\\\d%");
    expect(buildNameSearch({ query: "%", modes: ["none"] })).toEqual({ kind: "match", accounts: ["\\%%"], typed: "\\%%" });
  });

  it("normalizes the input the way each policy in use would, and keeps the typed name beside it", () => {
    expect(buildNameSearch({ query: "  CORP\\Alice ", modes: ["strip_domain"] })).toEqual({ kind: "match", accounts: ["corp\\\\alice%", "alice%"], typed: "corp\\\\alice%" });
    expect(buildNameSearch({ query: "Alice@Corp.Example", modes: ["none", "strip_domain"] })).toEqual({ kind: "match", accounts: ["alice@corp.example%", "alice%"], typed: "alice@corp.example%" });
    // Fullwidth letters fold as the worker folds them (NFKC) for the account; the typed name stays as typed.
    expect(buildNameSearch({ query: "ＡＬＩ", modes: ["none"] })).toMatchObject({ accounts: ["ali%"] });
  });

  it("finds nothing for what no stored name can hold, and everything for nothing typed", () => {
    expect(buildNameSearch({ query: "", modes: ["none"] })).toEqual({ kind: "all" });
    expect(buildNameSearch({ query: "   ", modes: ["none"] })).toEqual({ kind: "all" });
    for (const hostile of ["ali\u0000", "ali\u0007ce", "a\u200Bli", "a\u202Eli", "x".repeat(10_000), "\uD800ali"]) {
      expect(buildNameSearch({ query: hostile, modes: ["none", "strip_domain"] }), JSON.stringify(hostile.slice(0, 8))).toEqual({ kind: "nothing" });
    }
    // Only a domain: stripping leaves nothing, the name as typed still counts.
    expect(buildNameSearch({ query: "CORP\\", modes: ["strip_domain"] })).toMatchObject({ kind: "match", accounts: ["corp\\\\%"] });
  });
});
