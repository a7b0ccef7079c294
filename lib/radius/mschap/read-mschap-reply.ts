import type { TRadiusAttribute } from "../../primary-auth/types";
import { decryptMppeKey } from "./mppe-key-attribute";
import type { TMppeKeys } from "./mppe-keys";
import { microsoftSubAttributes, MsAttr } from "./microsoft-attributes";

// What an MS-CHAPv2 answer carries for the NAS beyond authorization: the proof the server knew the password
// (MS-CHAP2-Success), the session keys, or why it refused (MS-CHAP-Error: E=691 wrong password, E=648 expired, ...).
export type TMschapReply = {
  success?: Buffer; // Ident + "S=<40 hex>", passed through as received
  keys?: TMppeKeys; // decrypted: in memory only, hidden again for the NAS
  carried: TRadiusAttribute[]; // MS-MPPE-Encryption-Policy / -Types, as received
  error: TRadiusAttribute[]; // MS-CHAP-Error, byte for byte (AnyConnect reads E=648 from it)
  errorCode?: number; // its E= value (RFC 2759 §6): 691 wrong password, 648 expired, 647 disabled, 709 change failed
};

// Never passed through as they came: hop-bound (the keys) or rebuilt by Twofold (the rest, so an allow-list of
// pass-through attributes cannot drop what the protocol needs).
const MSCHAP_REPLY = new Set<number>([MsAttr.ChapError, MsAttr.MppeEncryptionPolicy, MsAttr.MppeEncryptionTypes, MsAttr.ChapMppeKeys, MsAttr.MppeSendKey, MsAttr.MppeRecvKey, MsAttr.Chap2Success]);

// Ident, then "E=eeeeeeeeee R=r C=cccc… V=vvvvvvvvvv M=<msg>".
const errorCode = (value: Buffer | undefined): number | undefined => {
  const match = value?.subarray(1).toString("latin1").match(/(?:^|\s)E=(\d{1,10})(?:\s|$)/);
  return match ? Number(match[1]) : undefined;
};

export type TReadMschapReply = { ok: true; reply: TMschapReply; rest: TRadiusAttribute[] } | { ok: false; detail: string };

// An upstream reply to a relayed MS-CHAPv2 request. The keys are hidden with the upstream's secret and the Request
// Authenticator Twofold sent it; a key that does not decrypt is an unusable answer, not a key to hand on.
export const readMschapReply = (options: { attributes: readonly TRadiusAttribute[]; secret: Buffer; authenticator: Buffer }): TReadMschapReply => {
  const subs = microsoftSubAttributes(options.attributes);
  const ours = subs.filter((sub) => MSCHAP_REPLY.has(sub.type));
  const carriers = new Set(ours.map((sub) => sub.carrier));
  const key = (type: number) => {
    const value = ours.find((sub) => sub.type === type)?.value;
    return value ? decryptMppeKey({ value, secret: options.secret, authenticator: options.authenticator }) : undefined;
  };
  const [send, recv] = [key(MsAttr.MppeSendKey), key(MsAttr.MppeRecvKey)];
  for (const decoded of [send, recv]) if (decoded && !decoded.ok) return { ok: false, detail: decoded.detail };
  const keys = send?.ok && recv?.ok ? { sendKey: send.key, recvKey: recv.key } : undefined;
  if (!keys && (send || recv)) return { ok: false, detail: "only one of MS-MPPE-Send-Key / MS-MPPE-Recv-Key" };
  const carriersOf = (types: number[]) => [...new Set(ours.filter((sub) => types.includes(sub.type)).map((sub) => sub.carrier))];
  return {
    ok: true,
    reply: {
      success: ours.find((sub) => sub.type === MsAttr.Chap2Success)?.value,
      keys,
      carried: carriersOf([MsAttr.MppeEncryptionPolicy, MsAttr.MppeEncryptionTypes]),
      error: carriersOf([MsAttr.ChapError]),
      errorCode: errorCode(ours.find((sub) => sub.type === MsAttr.ChapError)?.value),
    },
    rest: options.attributes.filter((attr) => !carriers.has(attr)),
  };
};
