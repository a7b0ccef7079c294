import { z } from "zod";
import type { TRadiusAttribute } from "../../primary-auth/types";
import { microsoftSubAttributes, MsAttr } from "./microsoft-attributes";

// RFC 2548 §2.3.2 MS-CHAP2-Response: Ident, Flags, Peer-Challenge(16), Reserved(8), NT-Response(24).
// §2.3.4 MS-CHAP2-CPW: Code 7, Ident, Encrypted-Hash(16), Peer-Challenge(16), Reserved(8), NT-Response(24), Flags(2).
const ZChallengeSchema = z.instanceof(Buffer).refine((value) => value.length === 16, "MS-CHAP-Challenge must be 16 bytes");
const ZResponseSchema = z.instanceof(Buffer).refine((value) => value.length === 50, "MS-CHAP2-Response must be 50 bytes");
const ZCpwSchema = z.instanceof(Buffer).refine((value) => value.length === 68 && value[0] === 7, "MS-CHAP2-CPW must be 68 bytes, code 7");

export type TMschapRequest = {
  // "change_password": the ASA's answer to E=648 (MS-CHAP2-CPW + MS-CHAP-NT-Enc-PW), its NT-Response over the new password.
  kind: "response" | "change_password";
  ident: number;
  authenticatorChallenge: Buffer;
  peerChallenge: Buffer;
  ntResponse: Buffer;
  // The NAS's MS-CHAP attributes, to go upstream byte for byte: none is hidden with the RADIUS secret.
  relay: TRadiusAttribute[];
};

export type TReadMschapRequest = { ok: true; mschap: TMschapRequest } | { ok: false; detail: string } | undefined;

const RELAYED = new Set<number>([MsAttr.ChapChallenge, MsAttr.Chap2Response, MsAttr.Chap2Cpw, MsAttr.ChapNtEncPw, MsAttr.ChapLmEncPw]);

// The MS-CHAPv2 part of an Access-Request (`mschapv2-capable` on the ASA), or undefined when it has none.
export const readMschapRequest = (attributes: readonly TRadiusAttribute[]): TReadMschapRequest => {
  const subs = microsoftSubAttributes(attributes);
  const first = (type: number) => subs.find((sub) => sub.type === type)?.value;
  const challenge = first(MsAttr.ChapChallenge);
  const response = first(MsAttr.Chap2Response);
  const cpw = first(MsAttr.Chap2Cpw);
  if (!challenge && !response && !cpw) return first(MsAttr.Chap1Response) ? { ok: false, detail: "MS-CHAPv1 is not supported (use MS-CHAPv2)" } : undefined;
  const parsed = z.object({ challenge: ZChallengeSchema, body: cpw ? ZCpwSchema : ZResponseSchema }).safeParse({ challenge, body: cpw ?? response });
  if (!parsed.success) return { ok: false, detail: parsed.error.issues.map((issue) => issue.message).join("; ") };
  const body = parsed.data.body;
  const at = cpw ? 18 : 2; // where Peer-Challenge starts
  const relay = [...new Set(subs.filter((sub) => RELAYED.has(sub.type)).map((sub) => sub.carrier))];
  return {
    ok: true,
    mschap: {
      kind: cpw ? "change_password" : "response",
      ident: (cpw ? body[1] : body[0])!,
      authenticatorChallenge: parsed.data.challenge,
      peerChallenge: body.subarray(at, at + 16),
      ntResponse: body.subarray(at + 24, at + 48),
      relay,
    },
  };
};
