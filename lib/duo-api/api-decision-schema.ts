import { z } from "zod";
import { ZAuthReasonSchema } from "../auth-log/reason-codes";
import type { TApiDecision } from "./api-decision-types";

// A settled async transaction's decision as stored in ApiTransaction.decision (JSON), read back by any worker.
export const ZApiDecisionSchema: z.ZodType<TApiDecision> = z.discriminatedUnion("result", [
  z.object({ result: z.literal("allow"), reason: ZAuthReasonSchema, statusMsg: z.string(), factor: z.string().optional() }),
  z.object({ result: z.literal("deny"), reason: ZAuthReasonSchema, statusMsg: z.string(), factor: z.string().optional(), fraud: z.boolean().optional(), enrollmentUrl: z.string().optional() }),
  z.object({ result: z.literal("enroll"), reason: ZAuthReasonSchema, statusMsg: z.string(), enrollmentUrl: z.string() }),
  z.object({
    result: z.literal("auth"),
    statusMsg: z.string(),
    devices: z.array(z.object({ id: z.string(), type: z.enum(["phone", "token"]), name: z.string(), capabilities: z.array(z.string()) })),
  }),
]);
