import QRCode from "qrcode";
import { z } from "zod";
import type { TPrisma } from "../db";
import { AppError } from "../errors/app-error";
import { createTotpAuthenticator } from "../factors/create-totp-authenticator";
import { chooseEnrollmentPassword } from "./choose-enrollment-password";
import { checkEnrollmentPassword } from "./check-enrollment-password";
import { ZStartEnrollmentInputSchema } from "./enrollment-schemas";
import { ENROLLMENT_LINK_PROBLEMS, resolveEnrollmentLink } from "./resolve-enrollment-link";
import type { TVerifyEnrollmentPassword } from "./verify-enrollment-password";

export type TStartEnrollmentOptions = { prisma: TPrisma; token: string; input: unknown; verifyPassword: TVerifyEnrollmentPassword; issuer?: string; now?: Date };

const checkPassword = async (options: { prisma: TPrisma; link: { linkId: string; userId: string; username: string }; input: unknown; verifyPassword: TVerifyEnrollmentPassword; now: Date }) => {
  const parsed = ZStartEnrollmentInputSchema.safeParse(options.input);
  if (!parsed.success) throw new AppError("VALIDATION", "Check the highlighted field", { fieldErrors: z.flattenError(parsed.error).fieldErrors });
  await checkEnrollmentPassword({ prisma: options.prisma, link: options.link, password: parsed.data.password, verifyPassword: options.verifyPassword, now: options.now });
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
