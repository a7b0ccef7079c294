import { describe, expect, it } from "vitest";
import { rangedMemberKey } from "./read-ranged-members";

// AD's ranged retrieval of large groups ("member;range=0-1499"). No AD here: only the recognition of the ranged key
// is tested; slapd never answers in ranges (directory-sync.test.ts reads its 1100-member group whole).
describe("rangedMemberKey", () => {
  it("recognizes AD's ranged member attributes, including the last range", () => {
    expect(rangedMemberKey({ dn: "cn=g", "member;range=0-1499": ["a"] })).toEqual({ key: "member;range=0-1499", attribute: "member", end: 1499 });
    expect(rangedMemberKey({ dn: "cn=g", "Member;Range=1500-*": ["b"] })).toEqual({ key: "Member;Range=1500-*", attribute: "Member", end: "*" });
    expect(rangedMemberKey({ dn: "cn=g", member: ["a"] })).toBeUndefined();
    expect(rangedMemberKey({ dn: "cn=g", "member;range=x-1": ["a"] })).toBeUndefined();
  });
});
