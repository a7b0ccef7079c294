import QRCode from "qrcode";
import { z } from "zod";
import type { TPrisma } from "../db";
import { AppError } from "../errors/app-error";
import { createTotpAuthenticator } from "../factors/create-totp-authenticator";
import { chooseEnrollmentPassword } from "./choose-enrollment-password";
import { countEnrollmentPasswordFailure } from "./count-password-failure";
import { ZStartEnrollmentInputSchema } from "./enrollment-schemas";
import { ENROLLMENT_LINK_PROBLEMS, resolveEnrollmentLink } from "./resolve-enrollment-link";
import type { TVerifyEnrollmentPassword } from "./verify-enrollment-password";

export type TStartEnrollmentOptions = { prisma: TPrisma; token: string; input: unknown; verifyPassword: TVerifyEnrollmentPassword; issuer?: string; now?: Date };

const checkPassword = async (options: { prisma: TPrisma; link: { linkId: string; userId: string; username: string }; input: unknown; verifyPassword: TVerifyEnrollmentPassword; now: Date }) => {
  const parsed = ZStartEnrollmentInputSchema.safeParse(options.input);
  if (!parsed.success) throw new AppError("VALIDATION", "Check the highlighted field", { fieldErrors: z.flattenError(parsed.error).fieldErrors });
  const { link } = options;
  const verified = await options.verifyPassword({ userId: link.userId, username: link.username, password: parsed.data.password });
  if (verified === "unavailable") throw new AppError("UNAVAILABLE", "Your password cannot be checked right now. Try again later or contact your helpdesk.");
  if (!verified) {
    const { spent } = await countEnrollmentPasswordFailure({ prisma: options.prisma, linkId: link.linkId, now: options.now });
    if (spent) throw new AppError("FORBIDDEN", "Too many wrong passwords: this enrollment link no longer works. Ask your helpdesk for a new one.");
    throw new AppError("VALIDATION", "That password is not correct", { fieldErrors: { password: ["That password is not correct"] } });
  }
};

// Step 1: primary credentials (or, when the admin left it to the user, the password they choose now) → a new,
// inactive TOTP authenticator and what the phone needs to scan.
export const startEnrollment = async ({ prisma, token, input, verifyPassword, issuer = "Twofold", now = new Date() }: TStartEnrollmentOptions) => {
  const link = await resolveEnrollmentLink({ prisma, token, now });
  if (!link.ok) throw new AppError("FORBIDDEN", ENROLLMENT_LINK_PROBLEMS[link.reason]);
  if (link.passwordChoiceRequired) await chooseEnrollmentPassword({ prisma, userId: link.userId, input });
  else await checkPassword({ prisma, link, input, verifyPassword, now });
  // An abandoned earlier attempt left an inactive authenticator behind: it never worked, so it can go.
  await prisma.authenticator.deleteMany({ where: { userId: link.userId, kind: "totp", active: false } });
  const created = await createTotpAuthenticator({ prisma, userId: link.userId, username: link.username, issuer });
  const qrSvg = await QRCode.toString(created.uri, { type: "svg", errorCorrectionLevel: "M", margin: 1 });
  return { authenticatorId: created.authenticatorId, uri: created.uri, secretBase32: created.secretBase32, qrSvg, username: link.username };
};
