import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { fieldError } from "../api/parse-input";
import { recordAuditEvent } from "../audit/record-audit-event";
import { encryptSecret } from "../secrets/envelope";

// A config import recreating an Auth API application keeps the ikey/skey its clients already hold.
export const setImportedApplicationKeys = async (options: { prisma: TPrisma; actor: TActor; id: string; ikey: string; skey: string }): Promise<void> => {
  if (!/^[A-Z0-9]{20}$/.test(options.ikey)) throw fieldError("ikey", "An ikey is 20 upper-case letters and digits");
  if (options.skey.length < 40) throw fieldError("skey", "An skey is at least 40 characters");
  const clash = await options.prisma.application.findUnique({ where: { ikey: options.ikey }, select: { id: true } });
  if (clash && clash.id !== options.id) throw fieldError("ikey", "Another application already has this ikey");
  await options.prisma.$transaction(async (tx) => {
    await tx.application.update({ where: { id: options.id }, data: { ikey: options.ikey, skey: encryptSecret(options.skey) } });
    await recordAuditEvent({ db: tx, actor: options.actor, action: "application.import_keys", targetType: "Application", targetId: options.id, after: { ikey: options.ikey, skey: "set" } });
  });
};
