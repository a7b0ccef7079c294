import { classifyFactorInput, type TFactorInput } from "./classify-factor-input";

export type TPasswordCandidate = { password: Buffer; factor?: TFactorInput; appended?: string };

export type TSplitAppendedFactorOptions = { password: Buffer | string; delimiter: string };

// Duo-style "password,123456". Returns the candidates in the order the caller should try primary authentication:
// first the split (when the suffix looks like a factor), then the whole string as the password — so a password that
// itself ends in ",123456" still works when the split form fails primary. With no factor-shaped suffix only the whole
// string is returned (the user gets the challenge or the "append a passcode" message).
export const splitAppendedFactor = ({ password, delimiter }: TSplitAppendedFactorOptions): TPasswordCandidate[] => {
  const whole = typeof password === "string" ? Buffer.from(password, "utf8") : Buffer.from(password);
  const wholeCandidate: TPasswordCandidate = { password: whole };
  if (!delimiter) return [wholeCandidate];
  const delimiterBytes = Buffer.from(delimiter, "utf8");
  // The last delimiter: passwords may contain the delimiter, factor suffixes never do.
  const at = whole.lastIndexOf(delimiterBytes);
  if (at < 0) return [wholeCandidate];
  const suffix = whole.subarray(at + delimiterBytes.length).toString("utf8");
  const factor = classifyFactorInput({ text: suffix, context: "append" });
  if (!factor) return [wholeCandidate];
  return [{ password: Buffer.from(whole.subarray(0, at)), factor, appended: suffix.trim() }, wholeCandidate];
};
