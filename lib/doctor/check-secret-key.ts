import type { TPrisma } from "../db";
import { decryptSecret } from "../secrets/envelope";
import { parseSecretKey } from "../secrets/secret-key";
import { errorText, type TDoctorCheck } from "./doctor-types";

type TSample = { what: string; envelope: string };

// One encrypted value from each place secrets live: a key that opens all of them is the key that wrote them.
const samples = async (prisma: TPrisma): Promise<TSample[]> => {
  const [application, client, server, authenticator, admin, setting] = await Promise.all([
    prisma.application.findFirst({ omit: { skey: false }, orderBy: { createdAt: "asc" } }),
    prisma.radiusClient.findFirst({ omit: { secret: false }, orderBy: { createdAt: "asc" } }),
    prisma.primaryAuthServer.findFirst({ where: { secret: { not: null } }, omit: { secret: false }, orderBy: { createdAt: "asc" } }),
    prisma.authenticator.findFirst({ where: { secret: { not: null } }, omit: { secret: false }, orderBy: { createdAt: "asc" } }),
    prisma.admin.findFirst({ where: { totpSecret: { not: null } }, omit: { totpSecret: false }, orderBy: { createdAt: "asc" } }),
    prisma.setting.findFirst({ where: { value: { startsWith: "v1:" } }, orderBy: { key: "asc" } }),
  ]);
  return [
    application && { what: `application "${application.name}" skey`, envelope: application.skey },
    client && { what: `RADIUS client "${client.name}" secret`, envelope: client.secret },
    server?.secret && { what: `primary server "${server.name}" secret`, envelope: server.secret },
    authenticator?.secret && { what: `an authenticator seed (${authenticator.kind})`, envelope: authenticator.secret },
    admin?.totpSecret && { what: `admin ${admin.email} TOTP seed`, envelope: admin.totpSecret },
    setting && { what: `setting ${setting.key}`, envelope: setting.value },
  ].filter((sample): sample is TSample => Boolean(sample));
};

export const checkSecretKey = async (options: { prisma: TPrisma; secretKey: string | undefined }): Promise<TDoctorCheck> => {
  const name = "secret key";
  if (!options.secretKey) return { name, ok: false, detail: "not set: TWOFOLD_SECRET_KEY (or secret.key beside the embedded database)" };
  let key: Buffer;
  try {
    key = parseSecretKey(options.secretKey);
  } catch (error) {
    return { name, ok: false, detail: errorText(error) };
  }
  try {
    const found = await samples(options.prisma);
    if (found.length === 0) return { name, ok: true, detail: "well-formed; nothing is encrypted yet to try it on" };
    const failed = found.filter((sample) => {
      try {
        decryptSecret(sample.envelope, key);
        return false;
      } catch {
        return true;
      }
    });
    return failed.length === 0
      ? { name, ok: true, detail: `decrypts ${found.map((sample) => sample.what).join(", ")}` }
      : { name, ok: false, detail: `cannot decrypt ${failed.map((sample) => sample.what).join(", ")}: not the key that encrypted them` };
  } catch (error) {
    return { name, ok: false, detail: errorText(error) };
  }
};
