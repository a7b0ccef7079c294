import { describe, expect, it } from "vitest";
import { checkUsernameBytes, normalizeUsername } from "./normalize-username";

describe("normalizeUsername", () => {
  it("strips domains, lower-cases and trims", () => {
    expect(normalizeUsername({ username: "CORP\\Alice", mode: "strip_domain" })).toBe("alice");
    expect(normalizeUsername({ username: " Alice@corp.example ", mode: "strip_domain" })).toBe("alice");
    expect(normalizeUsername({ username: "A\\B\\bob", mode: "strip_domain" })).toBe("bob");
    expect(normalizeUsername({ username: "CORP\\Bob@corp", mode: "strip_domain" })).toBe("bob");
  });
  it("leaves the domain in mode none but still lower-cases and trims", () => {
    expect(normalizeUsername({ username: " CORP\\Alice ", mode: "none" })).toBe("corp\\alice");
    expect(normalizeUsername({ username: "Alice@Corp", mode: "none" })).toBe("alice@corp");
  });
  it("folds Unicode width and compatibility forms to the one spelling a directory matches", () => {
    // Fullwidth letters, ideographic space, fullwidth backslash and at sign, ligatures, circled/math letters.
    const aliases = ["ａｌｉｃｅ", "ＡＬＩＣＥ", "\u3000alice\u3000", "ＣＯＲＰ＼alice", "alice＠corp.example", "alice\uFE6Bcorp", "𝐚𝐥𝐢𝐜𝐞", "ALİCE".replace("İ", "I")];
    for (const username of aliases) expect(normalizeUsername({ username, mode: "strip_domain" }), username).toBe("alice");
    expect(normalizeUsername({ username: "ﬁona", mode: "none" })).toBe("fiona");
    expect(normalizeUsername({ username: "Ω", mode: "none" })).toBe(normalizeUsername({ username: "ω", mode: "none" }));
  });
  it("is idempotent", () => {
    for (const username of ["ＣＯＲＰ＼Ａlice", "Straße", "ǅemal", "x\u0301", "İstanbul"]) {
      const once = normalizeUsername({ username, mode: "strip_domain" });
      expect(normalizeUsername({ username: once, mode: "strip_domain" })).toBe(once);
    }
  });
  it("is total on weird input", () => {
    for (const username of ["", "\\", "@", "@corp", "x\\", "\u0000\uffff", "ü@ß", " \\ @ "]) {
      expect(typeof normalizeUsername({ username, mode: "strip_domain" })).toBe("string");
    }
    expect(normalizeUsername({ username: "@corp", mode: "strip_domain" })).toBe("@corp");
    expect(normalizeUsername({ username: undefined as unknown as string, mode: "strip_domain" })).toBe("");
  });
});

describe("checkUsernameBytes", () => {
  it("accepts ordinary and non-ASCII names", () => {
    expect(checkUsernameBytes(Buffer.from("CORP\\alice"))).toEqual({ ok: true, text: "CORP\\alice" });
    expect(checkUsernameBytes(Buffer.from("ｊöｒｇ"))).toEqual({ ok: true, text: "ｊöｒｇ" });
  });
  it("refuses control bytes, format characters and invalid UTF-8", () => {
    const bad = [
      Buffer.from("alice\u0000"),
      Buffer.from("ali\u0009ce"),
      Buffer.from("alice\u007f"),
      Buffer.from("alice\u0085"),
      Buffer.from("al\u200Bice"),
      Buffer.from("alice\u202Eexe"),
      Buffer.from([0x61, 0xff, 0x62]),
      Buffer.from([0x61, 0xc0, 0xaf]), // overlong "/"
      Buffer.from([0xed, 0xa0, 0x80]), // an encoded surrogate
      Buffer.from([0x61, 0xe2, 0x82]), // truncated sequence
      Buffer.alloc(0),
      undefined,
    ];
    for (const bytes of bad) expect(checkUsernameBytes(bytes).ok, bytes?.toString("hex")).toBe(false);
  });
});
