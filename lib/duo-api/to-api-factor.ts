import type { TApiDevice, TApiFactor } from "./api-decision-types";
import { pushIndexOf } from "./list-api-devices";

// v1 `auto=` and v2 `factor=prompt&prompt=` (what login_duo/pam_duo 1.x and 2.x send: the factor their menu maps the
// typed option to, or the typed passcode itself).
export const autoFactor = (text: string): TApiFactor => {
  const value = text.trim().toLowerCase();
  const push = /^push(\d{0,2})$/.exec(value);
  if (push) return { kind: "push", deviceIndex: push[1] ? Number(push[1]) : 1 };
  if (/^(phone|sms|voice)\d*$/.test(value)) return { kind: "unavailable", name: value };
  // Anything else is what the user typed as a passcode; the pipeline refuses what is not one (an empty line never pushes).
  return { kind: "code", code: value };
};

// v1 factor + auto/code/phone.
export const v1Factor = (params: { factor: string; auto?: string; code?: string; phone?: string }): TApiFactor => {
  switch (params.factor) {
    case "auto":
      return autoFactor(params.auto ?? "");
    case "passcode":
      return { kind: "code", code: (params.code ?? "").trim() };
    case "push": {
      const index = /^phone(\d{1,2})$/.exec(params.phone ?? "phone1");
      return { kind: "push", deviceIndex: index ? Number(index[1]) : 1 };
    }
    default:
      return { kind: "unavailable", name: params.factor };
  }
};

// An index past the user's devices: the pipeline refuses it (factor_not_allowed, logged) as it does push9 on RADIUS.
const NO_SUCH_DEVICE = 99;

// v2 factor + device/passcode/prompt. `auto` with a named device means push to it, as Duo's auto does for a phone;
// `prompt` is duo_unix 2.x's answer to the text_prompt menu, read exactly as v1's `auto=`.
export const v2Factor = (params: { factor: string; device?: string; passcode?: string; prompt?: string }, devices: () => Promise<TApiDevice[]>): Promise<TApiFactor> | TApiFactor => {
  if (params.factor === "passcode") return { kind: "code", code: (params.passcode ?? "").trim() };
  if (params.factor === "prompt") return autoFactor(params.prompt ?? "");
  if (params.factor !== "auto" && params.factor !== "push") return { kind: "unavailable", name: params.factor };
  if (params.factor === "auto" && (!params.device || params.device === "auto")) return { kind: "auto" };
  if (!params.device || params.device === "auto") return { kind: "push", deviceIndex: 1 };
  return devices().then((list): TApiFactor => ({ kind: "push", deviceIndex: pushIndexOf(list, params.device) ?? NO_SUCH_DEVICE }));
};
