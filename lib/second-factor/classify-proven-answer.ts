import type { TCodeProof } from "../factors/otp-secret";
import type { TFactorInput } from "../policy/classify-factor-input";

// The menu's push choices ("1 for push to …", as classifyFactorInput reads a challenge answer) tried against the proof.
const PUSH_CHOICES = ["push", ...Array.from({ length: 9 }, (_, index) => String(index + 1))];

// A challenge answer the NAS proved instead of sending (MS-CHAPv2): a push choice if one matches; otherwise it can only
// be a passcode, and which one is found by verification (the placeholder code is never compared). Bypass codes are
// stored hashed, so they cannot be tried against a proof.
export const classifyProvenAnswer = ({ proof }: { proof: TCodeProof }): TFactorInput => {
  for (const choice of PUSH_CHOICES) if (proof.matches(choice)) return { kind: "push", deviceIndex: choice === "push" ? 1 : Number(choice) };
  return { kind: "passcode", code: "" };
};
