import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ZUsernameSchema } from "../users/schema";
import { caseFold } from "./case-fold";
import { checkUsernameBytes, normalizeUsername } from "./normalize-username";

const none = (username: string) => normalizeUsername({ username, mode: "none" });
// What normalizeUsername did before full case folding: every stored name is in this spelling.
const lowerCased = (username: string) => username.normalize("NFKC").toLowerCase().normalize("NFKC").trim();
const hex = (text: string) => [...text].map((char) => char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")).join(" ");
function* everyCodePoint() {
  for (let code = 0; code <= 0x10ffff; code += 1) if (code < 0xd800 || code > 0xdfff) yield String.fromCodePoint(code);
}

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
  it("folds case fully (CaseFolding.txt C+F), where lower-casing left two spellings of one caseless name", () => {
    const same = (names: string[], key: string) => {
      for (const name of names) expect(hex(none(name)), name).toBe(hex(key));
    };
    same(["ΝΙΚΟΣ", "νικος", "νικοσ", "Νίκος".normalize("NFD").replace("\u0301", "")], "νικοσ"); // final sigma ς → σ
    same(["Straße", "STRASSE", "strasse", "STRAẞE"], "strasse"); // ß and capital ẞ → ss
    same(["ǅemal", "ǄEMAL", "ǆemal", "DŽemal"], "d\u017Eemal"); // the titlecase digraph (NFKC splits it)
    same(["ſam", "SAM", "Sam"], "sam"); // long s
    same(["\u212Aate", "KATE"], "kate"); // Kelvin sign
    same(["ᏣᎳᎩ", "ꮳꮃꭹ"], "ᏣᎳᎩ"); // Cherokee folds to its capitals
    same(["ᾳ", "ᾼ", "ΑΙ", "αι"], "αι"); // iota subscript and adscript
    same(["ᲀ", "В", "в"], "в"); // an old Cyrillic form
    expect(none("İstanbul")).toBe("i\u0307stanbul"); // not Turkic folding: İ → i + combining dot, as Unicode's default
    expect(none("ı")).not.toBe(none("i")); // dotless i folds to nothing else
  });
  it("folds exactly as Unicode says for every code point of the engine's Unicode version", () => {
    const changesWhenCasefolded = /\p{Changes_When_Casefolded}/u;
    const changesWhenNfkcCasefolded = /\p{Changes_When_NFKC_Casefolded}/u;
    const foldWrong: string[] = [];
    const nfkcCasefoldWrong: string[] = [];
    const notIdempotent: string[] = [];
    for (const char of everyCodePoint()) {
      // Changes_When_Casefolded is defined on NFD: toCasefold(NFD(c)) differs from NFD(c).
      if ((caseFold(char).normalize("NFD") !== char.normalize("NFD")) !== changesWhenCasefolded.test(char)) foldWrong.push(hex(char));
      if (!checkUsernameBytes(Buffer.from(char)).ok || /\s/u.test(char)) continue; // refused, or trimmed
      const folded = none(char);
      if ((folded !== char) !== changesWhenNfkcCasefolded.test(char)) nfkcCasefoldWrong.push(hex(char));
      if (none(folded) !== folded) notIdempotent.push(hex(char));
    }
    expect(foldWrong).toEqual([]);
    expect(nfkcCasefoldWrong).toEqual([]);
    expect(notIdempotent).toEqual([]);
  });
  it("keeps every ASCII name as lower-casing stored it", () => {
    for (let code = 0x21; code < 0x7f; code += 1) {
      const char = String.fromCharCode(code);
      expect(none(char)).toBe(char.toLowerCase());
    }
    for (const name of ["Alice", "CORP\\Bob.Smith", "x_Y-z.0@Example.COM", "KELVIN", "SS"]) expect(none(name)).toBe(lowerCased(name));
  });
  it("changes a stored name only for the characters the username migration rewrites", () => {
    // Every name lower-cased before is a string of lower-cased characters; those whose folding differs are exactly the
    // pairs of prisma/migrations/20261204115900_username_case_fold, which brings stored names to the new spelling.
    const changed = new Map<string, string>();
    for (const char of everyCodePoint()) {
      if (!checkUsernameBytes(Buffer.from(char)).ok || /\s/u.test(char)) continue;
      const stored = lowerCased(char);
      if ([...stored].length === 1 && lowerCased(stored) === stored && none(stored) !== stored) changed.set(hex(stored), hex(none(stored)));
    }
    const sql = readFileSync(path.resolve(import.meta.dirname, "../../prisma/migrations/20261204115900_username_case_fold/migration.sql"), "utf8");
    const unicode = (literal: string) => literal.split("\\").filter(Boolean).map((code) => code.replace("+", "").replace(/^0+(?=.{4})/, "")).join(" ");
    const pairs = new Map([...sql.matchAll(/\(U&'([^']+)', U&'([^']+)'\)/g)].map((match) => [unicode(match[1]!), unicode(match[2]!)]));
    expect(pairs.size).toBe(134);
    expect(Object.fromEntries(pairs)).toEqual(Object.fromEntries(changed));
    // Folding a stored name is folding the name it was stored from.
    for (const name of ["ΝΙΚΟΣ", "Straße", "ᏣᎳᎩ", "ᾼ", "ǅemal", "İstanbul", "ＡＬＩＣＥ"]) expect(none(lowerCased(name)), name).toBe(none(name));
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
  it("refuses invisible characters: variation selectors, Hangul fillers, separators, every default-ignorable", () => {
    const invisible = [
      "\uFE00", "\uFE0F", "\u{E0100}", "\u{E01EF}", // variation selectors
      "\u115F", "\u1160", "\u3164", "\uFFA0", // Hangul fillers (letters, but they render as nothing)
      "\u2028", "\u2029", // line and paragraph separators
      "\u034F", "\u180B", "\u180F", "\u17B4", "\u{E0041}", "\u{1D173}", "\uFFF0", "\u{E0FFF}", "\u2065", // CGJ, Mongolian FVS, Khmer, tags, music, reserved
    ];
    for (const char of invisible) {
      expect(checkUsernameBytes(Buffer.from(`ali${char}ce`)), hex(char)).toEqual({ ok: false, detail: `User-Name contains U+${hex(char)}` });
      expect(ZUsernameSchema.safeParse(`ali${char}ce`).success, hex(char)).toBe(false);
    }
    for (const char of everyCodePoint()) {
      if (/\p{Default_Ignorable_Code_Point}/u.test(char)) expect(checkUsernameBytes(Buffer.from(char)).ok, hex(char)).toBe(false);
    }
    // Visible neighbours stay usable.
    for (const name of ["한글", "ㅎㅏㄴ", "ᄒᆞᆫ", "‑dash", "emoji😀"]) expect(checkUsernameBytes(Buffer.from(name)).ok, name).toBe(true);
  });
});
