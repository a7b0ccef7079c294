import type { TPrisma } from "../db";
import { AppError } from "../errors/app-error";
import { claimPasswordAttempt } from "./claim-password-attempt";
import { ENROLLMENT_LINK_PROBLEMS } from "./resolve-enrollment-link";
import { settlePasswordAttempt } from "./settle-password-attempt";
import type { TVerifyEnrollmentPassword } from "./verify-enrollment-password";

export type TCheckEnrollmentPasswordOptions = {
  prisma: TPrisma;
  link: { linkId: string; userId: string; username: string };
  password: string;
  verifyPassword: TVerifyEnrollmentPassword;
  now: Date;
};

const TOO_MANY = "Too many wrong passwords: this enrollment link no longer works. Ask your helpdesk for a new one.";

// The enrollment page's proof that the visitor is the link's user (the passcode page and the authenticator app
// alike): a claimed attempt, then the primary's verdict, then the claim settled. Throws the visitor's message.
export const checkEnrollmentPassword = async ({ prisma, link, password, verifyPassword, now }: TCheckEnrollmentPasswordOptions): Promise<void> => {
  const claim = await claimPasswordAttempt({ prisma, linkId: link.linkId, now });
  if (!claim.ok) throw new AppError("FORBIDDEN", claim.reason === "too_many" ? TOO_MANY : ENROLLMENT_LINK_PROBLEMS[claim.reason]);
  const settle = (wrong: boolean) => settlePasswordAttempt({ prisma, linkId: link.linkId, wrong, now });
  let verified: boolean | "unavailable";
  try {
    verified = await verifyPassword({ userId: link.userId, username: link.username, password });
  } catch (error) {
    await settle(false); // no verdict reached the visitor: the claim goes back
    throw error;
  }
  if (await settle(verified === false)) throw new AppError("FORBIDDEN", TOO_MANY);
  if (verified === "unavailable") throw new AppError("UNAVAILABLE", "Your password cannot be checked right now. Try again later or contact your helpdesk.");
  if (!verified) throw new AppError("VALIDATION", "That password is not correct", { fieldErrors: { password: ["That password is not correct"] } });
};
