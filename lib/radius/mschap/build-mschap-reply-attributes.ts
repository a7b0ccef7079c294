import type { TRadiusAttribute } from "../../primary-auth/types";
import { vendorAttribute } from "../attributes";
import { MICROSOFT_VENDOR, MsAttr } from "./microsoft-attributes";
import { encryptMppeKey } from "./mppe-key-attribute";
import type { TMschapReply } from "./read-mschap-reply";

// The MS-CHAPv2 attributes of Twofold's answer to the NAS: the keys hidden with the NAS's secret and the NAS's own
// Request Authenticator (RFC 2548 §2.4.2), each with its own salt.
export const buildMschapReplyAttributes = (options: { reply: TMschapReply; secret: Buffer; authenticator: Buffer }): TRadiusAttribute[] => {
  const { reply, secret, authenticator } = options;
  const attributes: TRadiusAttribute[] = [...reply.carried];
  if (reply.success) attributes.push(vendorAttribute(MICROSOFT_VENDOR, MsAttr.Chap2Success, reply.success));
  if (reply.keys) {
    const recv = encryptMppeKey({ key: reply.keys.recvKey, secret, authenticator });
    const send = encryptMppeKey({ key: reply.keys.sendKey, secret, authenticator, avoid: recv.subarray(0, 2) });
    attributes.push(vendorAttribute(MICROSOFT_VENDOR, MsAttr.MppeRecvKey, recv), vendorAttribute(MICROSOFT_VENDOR, MsAttr.MppeSendKey, send));
  }
  return [...attributes, ...reply.error];
};
