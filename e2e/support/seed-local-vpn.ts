import { randomBytes, randomUUID } from "node:crypto";
import { readRun } from "./state";

// A uniquely named VPN application with local primary auth, a RADIUS client for radclient (127.0.0.1) and one user,
// seeded straight into the run's database; `remove()` deletes all three.
export const seedLocalVpn = async (options: { prefix: string; factorEntry: "append" | "challenge" | "both"; password: (suffix: string) => string; withPolicyOverride?: boolean }) => {
  const run = readRun();
  // The global setup always starts a worker; its absence is a broken run, not a reason to skip.
  if (!run.radiusAuthPort) throw new Error("the RADIUS worker is not running (see e2e/global-setup.ts)");
  process.env.DATABASE_URL = run.databaseUrl;
  process.env.TWOFOLD_SECRET_KEY = run.secretKey;
  const { createConfigPrisma } = await import("../../lib/config/create-config-prisma");
  const { encryptSecret } = await import("../../lib/secrets/envelope");
  const { hashPassword } = await import("../../lib/auth/password");
  const prisma = createConfigPrisma({ databaseUrl: run.databaseUrl, max: 2 });

  const suffix = randomUUID().slice(0, 8);
  const username = `${options.prefix}-${suffix}`;
  const password = options.password(suffix);
  const sharedSecret = `e2e-${options.prefix}-${suffix}`;
  const application = await prisma.application.create({
    data: { name: `VPN ${options.prefix} ${suffix}`, ikey: randomBytes(10).toString("hex").toUpperCase(), skey: encryptSecret("s".repeat(40)), primaryAuthMode: "local", factorEntry: options.factorEntry },
  });
  if (options.withPolicyOverride) await prisma.policy.create({ data: { applicationId: application.id } });
  const client = await prisma.radiusClient.create({ data: { name: `${options.prefix}-nas-${suffix}`, address: "127.0.0.1/32", secret: encryptSecret(sharedSecret), applicationId: application.id } });
  const user = await prisma.user.create({ data: { username, passwordHash: await hashPassword(password) } });
  const remove = async () => {
    await prisma.radiusClient.delete({ where: { id: client.id } });
    await prisma.application.delete({ where: { id: application.id } });
    await prisma.user.delete({ where: { id: user.id } });
    await prisma.$disconnect();
  };
  return { run, prisma, suffix, username, password, sharedSecret, application, client, user, remove };
};
