import { z } from "zod";
import type { TPrisma } from "../db";
import { AppError } from "../errors/app-error";
import { activateTotpAuthenticator } from "../factors/activate-totp-authenticator";
import { ZCompleteEnrollmentInputSchema } from "./enrollment-schemas";
import { ENROLLMENT_LINK_PROBLEMS, resolveEnrollmentLink } from "./resolve-enrollment-link";
import { spendEnrollmentLink } from "./spend-enrollment-link";

export type TCompleteEnrollmentOptions = { prisma: TPrisma; token: string; input: unknown; now?: Date };

// Step 2: the first code activates the authenticator and spends the link, in one transaction that also re-checks the
// user and the link: a refusal rolls the activation back. A wrong code leaves both as they were, so the user can try
// again with the next code.
export const completeEnrollment = async ({ prisma, token, input, now = new Date() }: TCompleteEnrollmentOptions) => {
  const parsed = ZCompleteEnrollmentInputSchema.safeParse(input);
  if (!parsed.success) throw new AppError("VALIDATION", "Check the highlighted field", { fieldErrors: z.flattenError(parsed.error).fieldErrors });
  const link = await resolveEnrollmentLink({ prisma, token, now });
  if (!link.ok) throw new AppError("FORBIDDEN", ENROLLMENT_LINK_PROBLEMS[link.reason]);
  const { authenticatorId, code, name } = parsed.data;
  await prisma.$transaction(async (tx) => {
    const result = await activateTotpAuthenticator({ prisma: tx, authenticatorId, userId: link.userId, code, now });
    if (!result.ok) throw new AppError("VALIDATION", "That code did not match", { fieldErrors: { code: ["That code did not match. Enter the code your app shows now."] } });
    const spent = await spendEnrollmentLink({ prisma: tx, linkId: link.linkId, userId: link.userId, enrolling: authenticatorId, now });
    if (spent !== "spent") throw new AppError("FORBIDDEN", ENROLLMENT_LINK_PROBLEMS[spent]);
    if (name) await tx.authenticator.update({ where: { id: authenticatorId }, data: { name } });
  });
  return { username: link.username };
};
