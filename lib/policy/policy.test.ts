import { describe, expect, it } from "vitest";
import { classifyFactorInput } from "./classify-factor-input";
import { splitAppendedFactor } from "./split-appended-factor";
import { splitReplyMessage } from "./split-reply-message";

describe("classifyFactorInput", () => {
  it("recognizes passcodes, push and bypass codes", () => {
    expect(classifyFactorInput({ text: "123456", context: "append" })).toEqual({ kind: "passcode", code: "123456" });
    expect(classifyFactorInput({ text: "12345678", context: "append" })).toEqual({ kind: "passcode", code: "12345678" });
    expect(classifyFactorInput({ text: "push", context: "append" })).toEqual({ kind: "push", deviceIndex: 1 });
    expect(classifyFactorInput({ text: "PUSH2", context: "append" })).toEqual({ kind: "push", deviceIndex: 2 });
    expect(classifyFactorInput({ text: "123456789012", context: "append" })).toEqual({ kind: "bypass", code: "123456789012" });
  });
  it("rejects other shapes", () => {
    for (const text of ["12345", "abc", "push0", "", "1234567890123456789", "pushy"]) {
      expect(classifyFactorInput({ text, context: "append" })).toBeUndefined();
    }
    expect(classifyFactorInput({ text: "1", context: "append" })).toBeUndefined();
  });
  it("reads menu choices in a challenge", () => {
    expect(classifyFactorInput({ text: "1", context: "challenge" })).toEqual({ kind: "push", deviceIndex: 1 });
    expect(classifyFactorInput({ text: "0", context: "challenge" })).toBeUndefined();
  });
});

describe("splitAppendedFactor", () => {
  const texts = (candidates: ReturnType<typeof splitAppendedFactor>) => candidates.map((c) => [c.password.toString(), c.factor]);

  it("splits at the last delimiter and offers the whole string as fallback", () => {
    expect(texts(splitAppendedFactor({ password: "secret,123456", delimiter: "," }))).toEqual([
      ["secret", { kind: "passcode", code: "123456" }],
      ["secret,123456", undefined],
    ]);
    expect(texts(splitAppendedFactor({ password: "a,b,c,push2", delimiter: "," }))[0]).toEqual(["a,b,c", { kind: "push", deviceIndex: 2 }]);
  });
  it("keeps the whole string when the suffix is not a factor", () => {
    expect(texts(splitAppendedFactor({ password: "pass,word", delimiter: "," }))).toEqual([["pass,word", undefined]]);
    expect(texts(splitAppendedFactor({ password: "password", delimiter: "," }))).toEqual([["password", undefined]]);
    expect(texts(splitAppendedFactor({ password: "x,", delimiter: "," }))).toEqual([["x,", undefined]]);
  });
  it("handles multi-byte delimiters and non-ASCII passwords as bytes", () => {
    const password = Buffer.from("pässwörd§123456", "utf8");
    const [first] = splitAppendedFactor({ password, delimiter: "§" });
    expect(first?.password.toString("utf8")).toBe("pässwörd");
    expect(first?.factor).toEqual({ kind: "passcode", code: "123456" });
  });
  it("does not mutate the input buffer", () => {
    const password = Buffer.from("abc,123456");
    const [first] = splitAppendedFactor({ password, delimiter: "," });
    first?.password.fill(0);
    expect(password.toString()).toBe("abc,123456");
  });
});

describe("splitReplyMessage", () => {
  it("keeps short messages whole", () => {
    expect(splitReplyMessage({ text: "Enter a passcode" })).toEqual(["Enter a passcode"]);
    expect(splitReplyMessage({ text: "" })).toEqual([""]);
  });
  it("splits long messages into ≤253-byte chunks that join back to the original", () => {
    const text = `${"word ".repeat(120)}ünïcödé ${"€".repeat(200)}`;
    const chunks = splitReplyMessage({ text });
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) expect(Buffer.byteLength(chunk, "utf8")).toBeLessThanOrEqual(253);
    expect(chunks.join("")).toBe(text);
    expect(chunks[0]?.endsWith(" ")).toBe(true);
  });
});
