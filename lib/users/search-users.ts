import type { TPrisma } from "../db";

// Username, email or group name, case-insensitive; small pages because helpdesk looks for one person.
export const searchUsers = (options: { prisma: TPrisma; query?: string; take?: number }) => {
  const query = options.query?.trim();
  return options.prisma.user.findMany({
    where: query
      ? {
          OR: [
            { username: { contains: query, mode: "insensitive" } },
            { email: { contains: query, mode: "insensitive" } },
            { displayName: { contains: query, mode: "insensitive" } },
            { groups: { some: { group: { name: { contains: query, mode: "insensitive" } } } } },
          ],
        }
      : undefined,
    orderBy: { username: "asc" },
    take: options.take ?? 100,
    include: { groups: { include: { group: { select: { name: true } } } }, _count: { select: { authenticators: true } } },
  });
};
