import type { TPrisma } from "../db";
import { AppError } from "../errors/app-error";
import { createLogger, type TLogger } from "../log/create-logger";
import { decryptSecret } from "../secrets/envelope";
import { verifyAdminTotp } from "./admin-totp";
import { claimAdminTotpStep } from "./claim-admin-totp-step";
import { writeAdminSession, type TAdminSessionGrant } from "./write-admin-session";

export type TSignInWithAdminCodeOptions = {
  prisma: TPrisma;
  adminId: string; // from the password step's signed ticket
  code: string;
  ip?: string;
  userAgent?: string;
  now?: Date;
  logger?: TLogger; // tests; the console's logger otherwise
};

let consoleLogger: TLogger | undefined; // made on first use: importing this module must not open stdout

const wrongCode = () => new AppError("VALIDATION", "That code did not match", { fieldErrors: { code: ["That code did not match"] } });

// The sign-in's code step: the code's step is spent and the session written in one transaction, so a code captured
// by a phishing proxy or over a shoulder gets no second session in its 90 s window, from any browser or console
// process, and a session is never granted without the spend committing. A replay looks like a wrong code to whoever
// sent it (and, thrown as VALIDATION, counts against the sign-in throttle as a failure), but is logged as one.
export const signInWithAdminCode = async (options: TSignInWithAdminCodeOptions): Promise<TAdminSessionGrant> => {
  const { prisma, adminId, ip } = options;
  const now = options.now ?? new Date();
  const admin = await prisma.admin.findUnique({ where: { id: adminId }, omit: { totpSecret: false } });
  if (!admin || admin.disabled || !admin.totpEnabled || !admin.totpSecret) throw new AppError("UNAUTHORIZED", "Sign in again");
  const totpSecret = admin.totpSecret;
  const step = verifyAdminTotp({ secret: decryptSecret(totpSecret), code: options.code, now });
  if (step === undefined) throw wrongCode();
  const grant = await prisma.$transaction(async (tx) => {
    if (!(await claimAdminTotpStep({ db: tx, adminId, step, totpSecret, purpose: "sign-in" }))) return undefined;
    return writeAdminSession({ db: tx, adminId, mfaVerified: true, ip, userAgent: options.userAgent, now });
  });
  if (!grant) {
    const logger = options.logger ?? (consoleLogger ??= createLogger({ name: "console" }));
    // Also reached when the authenticator was reset or the admin disabled between the read and the claim.
    logger.warn({ adminId, ip, step, reason: "admin_totp_replayed" }, "console sign-in code refused: that code was already used");
    throw wrongCode();
  }
  return grant;
};
