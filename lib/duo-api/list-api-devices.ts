import type { TUserFacts } from "../policy/decision-types";
import type { TEffectivePolicy } from "../policy/policy-schemas";
import type { TApiDevice } from "./api-decision-types";

// The user's devices as preauth shows them: push devices in the order "push1", "push2"… address on RADIUS (active
// and allowed by the policy, oldest first, as lib/policy orders them), then passcode tokens. For display and for
// turning a v2 `device` id into that index; what may be used is decided by the pipeline, not here.
export const listApiDevices = ({ facts, policy, pushAvailable }: { facts: TUserFacts | undefined; policy: TEffectivePolicy; pushAvailable: boolean }): TApiDevice[] => {
  const allowed = new Set(policy.allowedFactors);
  const active = (facts?.authenticators ?? []).filter((authenticator) => authenticator.active && allowed.has(authenticator.kind));
  const push = pushAvailable ? active.filter((authenticator) => authenticator.kind === "push_device") : [];
  const tokens = active.filter((authenticator) => authenticator.kind === "totp" || authenticator.kind === "hotp");
  return [
    ...push.map((device): TApiDevice => ({ id: device.id, type: "phone", name: device.name || "Twofold authenticator", capabilities: ["auto", "push"] })),
    ...tokens.map((token): TApiDevice => ({ id: token.id, type: "token", name: token.name || (token.kind === "hotp" ? "Hardware token" : "Authenticator app"), capabilities: [] })),
  ];
};

// A v2 `device` ("auto" or an id from preauth) → the push index; undefined for an id that is not one of the user's
// push devices.
export const pushIndexOf = (devices: readonly TApiDevice[], device: string | undefined): number | undefined => {
  if (!device || device === "auto") return 1;
  const index = devices.filter((entry) => entry.type === "phone").findIndex((entry) => entry.id === device);
  return index >= 0 ? index + 1 : undefined;
};
