import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DROP_REASON_TEXT, describeDropReason } from "./describe-drop-reason";

// The reasons are a type only (lib/radius/parse-packet.ts): read from its source, so a reason added there without a
// label fails here even where a cast hid it from tsc.
const declaredReasons = (): string[] => {
  const source = readFileSync(path.join(__dirname, "parse-packet.ts"), "utf8");
  const union = /export type TDropReason =([^;]+);/.exec(source)?.[1] ?? "";
  return [...union.matchAll(/"([a-z_]+)"/g)].map((match) => match[1] ?? "");
};

describe("drop reason labels", () => {
  it("gives every drop reason a plain-language label, and no label to a reason that does not exist", () => {
    const reasons = declaredReasons();
    expect(reasons.length).toBeGreaterThan(5);
    for (const reason of reasons) expect(describeDropReason(reason).length, reason).toBeGreaterThan(20);
    expect(Object.keys(DROP_REASON_TEXT).sort()).toEqual([...reasons].sort());
  });

  it("says what a wrong shared secret looks like, and shows an unknown code as is", () => {
    expect(describeDropReason("bad_message_authenticator")).toMatch(/wrong shared secret/i);
    expect(describeDropReason("missing_message_authenticator")).toMatch(/Message-Authenticator/);
    expect(describeDropReason("from_the_future")).toBe('Unknown drop reason "from_the_future".');
    expect(describeDropReason("toString")).toBe('Unknown drop reason "toString".');
  });
});
