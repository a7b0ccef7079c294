import type { TPrisma } from "../db";

// Verified push through an API that cannot ask a second question: the push went out and the phone shows a number;
// the user signs in again with that number as the passcode. The pipeline's own push_verify State (bound to this
// application and the typed name, single use, expiring) is the one that number answers; this finds it.
export const findVerifyState = async (options: { prisma: TPrisma; applicationId: string; username: string; now: Date }): Promise<Buffer | undefined> => {
  const row = await options.prisma.challengeState.findFirst({
    where: { clientId: options.applicationId, username: options.username, expiresAt: { gt: options.now }, data: { path: ["purpose"], equals: "push_verify" } },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  return row && /^([0-9a-f]{2})+$/.test(row.id) ? Buffer.from(row.id, "hex") : undefined;
};
