import type { TPrisma } from "../db";
import { generateToken, hashToken } from "../crypto/tokens";

export const enrollmentBaseUrl = (): string => (process.env.TWOFOLD_PUBLIC_URL || "http://localhost:3000").replace(/\/+$/, "");

export type TCreateEnrollmentLinkOptions = { prisma: TPrisma; userId: string; createdBy: string; ttlMinutes?: number; now?: Date; baseUrl?: string };

// One-time link: only the token's sha256 is stored, so a database reader cannot enroll a device in someone's name.
// 22 characters (16 bytes) keep the URL short enough for a RADIUS Reply-Message that AnyConnect shows.
export const createEnrollmentLink = async ({ prisma, userId, createdBy, ttlMinutes = 60 * 24, now = new Date(), baseUrl = enrollmentBaseUrl() }: TCreateEnrollmentLinkOptions) => {
  const token = generateToken(16);
  const expiresAt = new Date(now.getTime() + ttlMinutes * 60_000);
  const link = await prisma.enrollmentLink.create({ data: { userId, tokenHash: hashToken(token), createdBy, expiresAt }, select: { id: true } });
  return { id: link.id, token, url: `${baseUrl}/enroll/${token}`, expiresAt };
};
