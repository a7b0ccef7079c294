import { z } from "zod";
import type { TRadiusAttribute } from "../primary-auth/types";

const ZBytes = z.instanceof(Buffer);

// The fields the flow reads from an authenticated request, validated here. The raw attribute list (already checked
// for framing by parsePacket) travels beside them unvalidated, so pass-through never re-encodes a byte.
export const ZRadiusRequestFieldsSchema = z.object({
  code: z.number().int().min(1).max(255),
  identifier: z.number().int().min(0).max(255),
  authenticator: ZBytes.refine((value) => value.length === 16),
  userName: z.string().max(253).optional(),
  userNameBytes: ZBytes.optional(),
  password: ZBytes.refine((value) => value.length <= 128).optional(),
  nasIp: z.ipv4().optional(),
  nasIdentifier: z.string().optional(),
  callingStationId: z.string().optional(),
  calledStationId: z.string().optional(),
  state: ZBytes.optional(),
  proxyStates: z.array(ZBytes),
  messageAuthenticator: ZBytes.optional(),
  acctStatusType: z.number().int().optional(),
  acctSessionId: z.string().optional(),
});

export type TRadiusRequest = z.infer<typeof ZRadiusRequestFieldsSchema> & { attributes: TRadiusAttribute[]; byName: Record<string, Buffer[]> };
