// What a user typed as a second factor, appended to the password or as the answer to an Access-Challenge.
export type TFactorInput =
  | { kind: "passcode"; code: string } // TOTP/HOTP, 6–8 digits
  | { kind: "push"; deviceIndex: number } // 1-based: "push" = first device, "push2" = second
  | { kind: "bypass"; code: string }; // bypass codes are longer than any passcode, so the shapes never overlap

// Bypass codes Twofold generates are 12 digits; accept 9–16 so codes typed with a missing/extra digit still reach
// verification (and fail there, counted) instead of being taken for part of the password.
const BYPASS_SHAPE = /^\d{9,16}$/;
const PASSCODE_SHAPE = /^\d{6,8}$/;
const PUSH_SHAPE = /^push(\d{0,2})$/;

export type TClassifyFactorInputOptions = { text: string; context: "append" | "challenge" };

// Total: anything unrecognized is undefined, never a throw.
export const classifyFactorInput = ({ text, context }: TClassifyFactorInputOptions): TFactorInput | undefined => {
  const value = typeof text === "string" ? text.trim().toLowerCase().replace(/[\s-]/g, "") : "";
  if (PASSCODE_SHAPE.test(value)) return { kind: "passcode", code: value };
  if (BYPASS_SHAPE.test(value)) return { kind: "bypass", code: value };
  const push = PUSH_SHAPE.exec(value);
  if (push) {
    const index = push[1] ? Number(push[1]) : 1;
    return index >= 1 ? { kind: "push", deviceIndex: index } : undefined;
  }
  // In a challenge menu "1" means push to the first device, "2" to the second ("Enter a passcode, or 1 for push").
  if (context === "challenge" && /^\d{1,2}$/.test(value) && Number(value) >= 1) return { kind: "push", deviceIndex: Number(value) };
  return undefined;
};
