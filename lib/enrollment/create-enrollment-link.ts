import type { TPrisma } from "../db";
import { generateToken, hashToken } from "../crypto/tokens";
import { AppError } from "../errors/app-error";
import { ENROLLMENT_LINK_PROBLEMS } from "./resolve-enrollment-link";

export const enrollmentBaseUrl = (): string => (process.env.TWOFOLD_PUBLIC_URL || "http://localhost:3000").replace(/\/+$/, "");

export type TCreateEnrollmentLinkOptions = {
  // The client or the caller's transaction, so an admin-issued link commits with the audit row that records it.
  prisma: Pick<TPrisma, "authenticator" | "enrollmentLink">;
  userId: string;
  createdBy: string;
  // true only for a link an admin or helpdesk issues: it may add a device to a user who already has one. Any other
  // (a login's, /auth/v2/enroll's) is for a first factor: refused here, and again when it is used, once the user has
  // an active authenticator, so a password alone never adds a factor to an enrolled account.
  mayAddFactor?: boolean;
  ttlMinutes?: number;
  now?: Date;
  baseUrl?: string;
};

// One-time link: only the token's sha256 is stored, so a database reader cannot enroll a device in someone's name.
// 22 characters (16 bytes) keep the URL short enough for a RADIUS Reply-Message that AnyConnect shows.
export const createEnrollmentLink = async ({ prisma, userId, createdBy, mayAddFactor = false, ttlMinutes = 60 * 24, now = new Date(), baseUrl = enrollmentBaseUrl() }: TCreateEnrollmentLinkOptions) => {
  if (!mayAddFactor && (await prisma.authenticator.count({ where: { userId, active: true } })) > 0) {
    throw new AppError("CONFLICT", ENROLLMENT_LINK_PROBLEMS.enrolled);
  }
  const token = generateToken(16);
  const expiresAt = new Date(now.getTime() + ttlMinutes * 60_000);
  const link = await prisma.enrollmentLink.create({ data: { userId, tokenHash: hashToken(token), createdBy, mayAddFactor, expiresAt }, select: { id: true } });
  return { id: link.id, token, url: `${baseUrl}/enroll/${token}`, expiresAt };
};
