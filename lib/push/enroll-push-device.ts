import { z } from "zod";
import type { TPrisma } from "../db";
import { AppError } from "../errors/app-error";
import { checkEnrollmentPassword } from "../enrollment/check-enrollment-password";
import { ENROLLMENT_LINK_PROBLEMS, resolveEnrollmentLink } from "../enrollment/resolve-enrollment-link";
import { spendEnrollmentLink } from "../enrollment/spend-enrollment-link";
import type { TVerifyEnrollmentPassword } from "../enrollment/verify-enrollment-password";
import { ZDeviceJwkSchema, ZPushSubscriptionSchema } from "./push-schemas";
import { registerPushDevice } from "./register-push-device";

export const ZEnrollPushDeviceInputSchema = z.object({
  password: z.string().min(1, "Enter your password").max(512),
  name: z.string().trim().max(64).default(""),
  publicKeyJwk: ZDeviceJwkSchema,
  subscription: ZPushSubscriptionSchema.nullable().optional(),
});

export type TEnrollPushDeviceOptions = { prisma: TPrisma; token: string; input: unknown; verifyPassword: TVerifyEnrollmentPassword; now?: Date };

// The authenticator app's enrollment: the same one-time link and primary password as the passcode enrollment, then
// the device's public key (its private key never leaves the phone) becomes an active push device and the link is spent,
// in one transaction that re-checks the user and the link (the password check took a while; either may have changed).
export const enrollPushDevice = async ({ prisma, token, input, verifyPassword, now = new Date() }: TEnrollPushDeviceOptions): Promise<{ deviceId: string; username: string }> => {
  const parsed = ZEnrollPushDeviceInputSchema.safeParse(input);
  if (!parsed.success) throw new AppError("VALIDATION", "Check the highlighted field", { fieldErrors: z.flattenError(parsed.error).fieldErrors });
  const link = await resolveEnrollmentLink({ prisma, token, now });
  if (!link.ok) throw new AppError("FORBIDDEN", ENROLLMENT_LINK_PROBLEMS[link.reason]);
  await checkEnrollmentPassword({ prisma, link, password: parsed.data.password, verifyPassword, now });
  const { name, publicKeyJwk, subscription } = parsed.data;
  return prisma.$transaction(async (tx) => {
    const spent = await spendEnrollmentLink({ prisma: tx, linkId: link.linkId, userId: link.userId, now });
    if (spent !== "spent") throw new AppError("FORBIDDEN", ENROLLMENT_LINK_PROBLEMS[spent]);
    const { deviceId } = await registerPushDevice({ prisma: tx, userId: link.userId, name, publicKeyJwk, subscription });
    return { deviceId, username: link.username };
  });
};
