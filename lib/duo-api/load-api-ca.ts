import { createPrivateKey, createPublicKey } from "node:crypto";
import { z } from "zod";
import type { TPrisma } from "../db";
import { decryptSecret, encryptSecret } from "../secrets/envelope";
import { createApiCa, type TKeyPair } from "./create-api-certificate";

export const API_CA_SETTING = "duo_api.ca";
const ZStoredCaSchema = z.object({ certPem: z.string().startsWith("-----BEGIN CERTIFICATE-----"), key: z.string().min(1) });

// One CA for every worker, made by the first to start and kept in Setting (its key encrypted like every secret), so
// clients trust one cafile whichever worker they reach, and the console can offer it for download. Two workers
// starting together may both make one: the first insert wins and both use the stored CA.
export const loadApiCa = async ({ prisma, now }: { prisma: TPrisma; now: Date }): Promise<{ certPem: string; key: TKeyPair }> => {
  let row = await prisma.setting.findUnique({ where: { key: API_CA_SETTING } });
  if (!row) {
    const fresh = createApiCa(now);
    await prisma.setting.createMany({ data: [{ key: API_CA_SETTING, value: JSON.stringify({ certPem: fresh.certPem, key: encryptSecret(fresh.keyPem) }) }], skipDuplicates: true });
    row = await prisma.setting.findUniqueOrThrow({ where: { key: API_CA_SETTING } });
  }
  const stored = ZStoredCaSchema.parse(JSON.parse(row.value));
  const privateKey = createPrivateKey(decryptSecret(stored.key));
  return { certPem: stored.certPem, key: { privateKey, publicKey: createPublicKey(privateKey) } };
};

// The CA certificate alone (public), for the console's download; undefined until a worker has made it.
export const readApiCaCertificate = async ({ prisma }: { prisma: TPrisma }): Promise<string | undefined> => {
  const row = await prisma.setting.findUnique({ where: { key: API_CA_SETTING } });
  if (!row) return undefined;
  const stored = ZStoredCaSchema.safeParse(JSON.parse(row.value));
  return stored.success ? stored.data.certPem : undefined;
};
