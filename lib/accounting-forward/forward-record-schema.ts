import { z } from "zod";
import type { TRadiusAttribute } from "../primary-auth/types";

const hex = z.string().regex(/^([0-9a-f]{2})*$/);

// One Accounting-Request as the NAS sent it, waiting for the upstream accounting server: the attributes (per-hop
// ones already removed) as [type, hex] pairs, and when Twofold received it (Acct-Delay-Time grows by the wait).
export const ZForwardRecordSchema = z.object({
  receivedAt: z.number().int().min(0), // epoch ms
  attributes: z.array(z.tuple([z.number().int().min(1).max(255), hex])),
});
export type TForwardRecord = z.infer<typeof ZForwardRecordSchema>;

export const toForwardRecord = (attributes: readonly TRadiusAttribute[], receivedAt: number): TForwardRecord => ({
  receivedAt,
  attributes: attributes.map((attr) => [attr.type, attr.value.toString("hex")]),
});

export const fromForwardRecord = (record: TForwardRecord): TRadiusAttribute[] => record.attributes.map(([type, value]) => ({ type, value: Buffer.from(value, "hex") }));
