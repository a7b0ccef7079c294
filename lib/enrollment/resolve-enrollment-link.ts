import type { TPrisma } from "../db";
import { hashToken } from "../crypto/tokens";

export type TEnrollmentLinkProblem = "invalid" | "expired" | "used" | "disabled" | "locked" | "enrolled";
export type TResolveEnrollmentLinkOptions = { prisma: TPrisma; token: string; now?: Date };
export type TEnrollmentLinkState =
  | { ok: true; linkId: string; userId: string; username: string; displayName: string; expiresAt: Date; passwordChoiceRequired: boolean }
  | { ok: false; reason: TEnrollmentLinkProblem };

// The token in the URL is the only thing the visitor has; its hash finds the link. A user who may not sign in
// (disabled, or locked out: by failed attempts, a fraud report or the helpdesk) may not enroll either: a lock that a
// new device lifted would be no lock. Status is the lock (the claim that reaches the threshold sets it); a lock whose
// auto-unlock time has passed is lifted by the next sign-in, not here. A first-factor link (a login's, not an admin's)
// is refused once the user has an active authenticator: it was issued after the password alone.
export const resolveEnrollmentLink = async ({ prisma, token, now = new Date() }: TResolveEnrollmentLinkOptions): Promise<TEnrollmentLinkState> => {
  if (!/^[\w-]{16,64}$/.test(token)) return { ok: false, reason: "invalid" };
  const link = await prisma.enrollmentLink.findUnique({
    where: { tokenHash: hashToken(token) },
    select: {
      id: true,
      expiresAt: true,
      usedAt: true,
      mayAddFactor: true,
      user: { select: { id: true, username: true, displayName: true, status: true, passwordChoiceRequired: true, _count: { select: { authenticators: { where: { active: true } } } } } },
    },
  });
  if (!link) return { ok: false, reason: "invalid" };
  if (link.usedAt) return { ok: false, reason: "used" };
  if (link.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  if (link.user.status === "disabled") return { ok: false, reason: "disabled" };
  if (link.user.status === "locked_out") return { ok: false, reason: "locked" };
  if (!link.mayAddFactor && link.user._count.authenticators > 0) return { ok: false, reason: "enrolled" };
  return { ok: true, linkId: link.id, userId: link.user.id, username: link.user.username, displayName: link.user.displayName, expiresAt: link.expiresAt, passwordChoiceRequired: link.user.passwordChoiceRequired };
};

export const ENROLLMENT_LINK_PROBLEMS: Record<TEnrollmentLinkProblem, string> = {
  invalid: "This enrollment link is not valid. Ask your helpdesk for a new one.",
  expired: "This enrollment link has expired. Ask your helpdesk for a new one.",
  used: "This enrollment link was already used. Ask your helpdesk for a new one if you need to enroll another device.",
  disabled: "Your account is disabled. Contact your helpdesk.",
  locked: "Your account is locked. Contact your helpdesk to unlock it, then open this link again.",
  enrolled: "You already have a second factor, so this link cannot add another. To add a device, ask your helpdesk for a new link.",
};
