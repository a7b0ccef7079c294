// Unicode default full case folding (CaseFolding.txt, statuses C and F; not T, the Turkic one), which JavaScript does
// not offer. Derived from the engine's own case mappings rather than a shipped table, so it follows Node's Unicode
// version: for each code point, uppercase then lowercase (each resulting code point on its own, so no context rule such
// as Greek final sigma applies), repeated until nothing changes (ẞ → ß → SS → ss). That equals CaseFolding.txt for every
// code point but two kinds, handled here:
// - U+0131 ı has no folding (its only entry is the Turkic T one), while upper-then-lower would make it "i".
// - Cherokee folds to its uppercase letters (Unicode 8 added the lowercase ones; folding kept the old, upper form).
// Checked exhaustively against CaseFolding.txt of Unicode 17 (Node 24's), and in normalize-username.test.ts against the
// engine's own Changes_When_Casefolded and Changes_When_NFKC_Casefolded properties for every code point.
const CHEROKEE = /\p{Script=Cherokee}/u;
const DOTLESS_I = "\u0131";

const upperThenLower = (text: string): string => {
  let out = "";
  for (const char of text) for (const upper of char.toUpperCase()) out += upper.toLowerCase();
  return out;
};

const foldCodePoint = (char: string): string => {
  if (char === DOTLESS_I) return char;
  if (CHEROKEE.test(char)) return char.toUpperCase();
  let folded = char;
  // Two rounds reach the fixed point for every code point today; the bound only keeps a future mapping from looping.
  for (let round = 0; round < 4; round += 1) {
    const next = upperThenLower(folded);
    if (next === folded) break;
    folded = next;
  }
  return folded;
};

export const caseFold = (text: string): string => {
  // ASCII folds as it lowercases; most names never leave this path.
  if (/^\p{ASCII}*$/u.test(text)) return text.toLowerCase();
  let out = "";
  for (const char of text) out += foldCodePoint(char);
  return out;
};
