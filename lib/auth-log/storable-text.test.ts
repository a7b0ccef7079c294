import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeNasBytes, encodeNasBytes } from "../radius/decode-nas-bytes";
import { readStoredText, storableJson, storableText } from "./storable-text";

// What PostgreSQL text and jsonb cannot take, and what a log viewer should never receive raw.
const isStorable = (text: string) => {
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    if (unit <= 0x1f || (unit >= 0x7f && unit <= 0x9f) || (unit >= 0xdc00 && unit <= 0xdfff)) return false;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      index += 1;
    }
  }
  return true;
};

const ALPHABET = ["a", "Z", "0", "f", "x", "u", "\\", "\u0000", "\u0007", "\u001b", "\u007f", "\u0085", "\u009b", "\ud800", "\udc00", "\udcff", "\ud83d\ude00", "ａ", "é", ",", " "];
const randomText = () => Array.from({ length: 1 + (randomBytes(1)[0]! % 12) }, () => ALPHABET[randomBytes(1)[0]! % ALPHABET.length]).join("");

describe("storableText", () => {
  it("leaves ordinary text, backslashes included, exactly as typed", () => {
    for (const text of ["alice", "CORP\\alice", "CORP\\user", "\\\\server\\share", "ａｌｉｃｅ", "p,a\\ss wörd", "😀", "a\\", "x\\y\\z"]) expect(storableText(text)).toBe(text);
  });

  it("escapes controls, unpaired surrogates and escape-like backslashes visibly", () => {
    expect(storableText("ali\u0000ce")).toBe("ali\\x00ce");
    expect(storableText("\u001b[31mred")).toBe("\\x1b[31mred");
    expect(storableText("del\u007f")).toBe("del\\x7f");
    expect(storableText("csi\u009b")).toBe("csi\\u009b");
    expect(storableText("half\ud800")).toBe("half\\ud800");
    expect(storableText("\\x00 typed")).toBe("\\x5cx00 typed");
    expect(storableText("\\\u0000")).toBe("\\\\x00");
    expect(storableText("\\u00e9")).toBe("\\x5cu00e9");
  });

  it("is reversible and always storable, on random hostile text", () => {
    for (let round = 0; round < 5000; round += 1) {
      const text = randomText();
      const stored = storableText(text);
      expect(isStorable(stored), JSON.stringify(text)).toBe(true);
      expect(readStoredText(stored), JSON.stringify(text)).toBe(text);
    }
  });

  it("reaches JSON keys and nested values", () => {
    expect(storableJson({ "k\u0000": ["v\u0000", { deep: "\ud800" }], n: 1, b: true, z: null })).toEqual({ "k\\x00": ["v\\x00", { deep: "\\ud800" }], n: 1, b: true, z: null });
  });
});

describe("decodeNasBytes", () => {
  it("decodes valid UTF-8 as Buffer#toString does", () => {
    for (const text of ["alice", "ａｌｉｃｅ", "wörd", "😀", "\ufffd"]) expect(decodeNasBytes(Buffer.from(text, "utf8"))).toBe(text);
  });

  it("keeps every byte that is not UTF-8, stored as \\xHH", () => {
    const bytes = Buffer.from([0x61, 0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xe2, 0x82, 0x00, 0x62]);
    const stored = storableText(decodeNasBytes(bytes));
    expect(stored).toBe("a\\xff\\xc3(\\xed\\xa0\\x80\\xe2\\x82\\x00b");
    expect(encodeNasBytes(readStoredText(stored)).equals(bytes)).toBe(true);
  });

  it("round-trips random bytes through the stored form", () => {
    for (let round = 0; round < 2000; round += 1) {
      const bytes = randomBytes(1 + (round % 40));
      const stored = storableText(decodeNasBytes(bytes));
      expect(isStorable(stored)).toBe(true);
      expect(encodeNasBytes(readStoredText(stored)).equals(bytes), bytes.toString("hex")).toBe(true);
    }
  });
});
