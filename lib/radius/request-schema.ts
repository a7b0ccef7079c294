import { z } from "zod";

const ZBytes = z.instanceof(Buffer);

const ZAttributeSchema = z.object({
  type: z.number().int().min(0).max(255),
  value: ZBytes,
  vendorId: z.number().int().nonnegative().optional(),
  vendorType: z.number().int().min(0).max(255).optional(),
});

// What the worker may read from an authenticated request; every field taken from the wire is validated here.
export const ZRadiusRequestSchema = z.object({
  code: z.number().int().min(1).max(255),
  identifier: z.number().int().min(0).max(255),
  authenticator: ZBytes.refine((value) => value.length === 16),
  attributes: z.array(ZAttributeSchema),
  byName: z.record(z.string(), z.array(ZBytes)),
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

export type TRadiusRequest = z.infer<typeof ZRadiusRequestSchema>;
