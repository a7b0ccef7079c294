import webpush from "web-push";
import { z } from "zod";
import type { TPrisma } from "../db";
import { decryptSecret, encryptSecret } from "../secrets/envelope";

const KEY = "push.vapid";
const ZVapidSchema = z.object({ publicKey: z.string(), privateKey: z.string() });
export type TVapidKeys = z.infer<typeof ZVapidSchema>;

let cached: { url: string; keys: TVapidKeys } | undefined;

// Generated on first use and stored encrypted. Two processes starting together may both generate: the first insert
// wins (ON CONFLICT DO NOTHING) and both read back the stored pair, so every subscription is made with one key.
export const getVapidKeys = async ({ prisma, cacheKey = "default" }: { prisma: TPrisma; cacheKey?: string }): Promise<TVapidKeys> => {
  if (cached?.url === cacheKey) return cached.keys;
  const existing = await prisma.setting.findUnique({ where: { key: KEY } });
  if (!existing) {
    const fresh = webpush.generateVAPIDKeys();
    await prisma.setting.createMany({ data: [{ key: KEY, value: encryptSecret(JSON.stringify(fresh)) }], skipDuplicates: true });
  }
  const row = existing ?? (await prisma.setting.findUniqueOrThrow({ where: { key: KEY } }));
  const keys = ZVapidSchema.parse(JSON.parse(decryptSecret(row.value)));
  cached = { url: cacheKey, keys };
  return keys;
};
