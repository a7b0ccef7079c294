import type { ConnectionOptions } from "node:tls";
import { SizeLimitExceededError } from "ldapts";
import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { recordAuditEvent } from "../audit/record-audit-event";
import { decryptSecret } from "../secrets/envelope";
import { resolveEffectivePolicy } from "../policy/resolve-effective-policy";
import { accountName } from "./account-name";
import { applySyncDiff } from "./apply-sync-diff";
import { computeSyncDiff } from "./compute-sync-diff";
import { decodeDirectoryText, dnKey } from "./decode-directory-value";
import { hashSyncDiff } from "./hash-sync-diff";
import { loadSyncState } from "./load-sync-state";
import { readDirectory } from "./read-directory";
import { summarizeSyncDiff } from "./summarize-sync-diff";
import type { TDirectoryRead, TSyncDiff } from "./sync-types";

export type TSyncRun = { diff: TSyncDiff; hash: string; applied: boolean };

const describeError = (error: unknown): string => {
  if (error instanceof SizeLimitExceededError) {
    return "the directory's size limit ended the paged search; allow the service account unlimited paged results (OpenLDAP: limits dn.exact=\"<bind DN>\" size.prtotal=unlimited)";
  }
  return error instanceof Error ? `${error.message.trim() || error.name}` : String(error);
};

// One sync of one LDAP/AD server: read the whole directory (outside any transaction), then in one transaction under
// a per-server advisory lock (the console's "sync now" and the worker's schedule never interleave) read Twofold's
// side, compute the diff and, when applying, write it with its audit row. `expectedHash` is the dry-run the admin
// saw: a different diff is refused rather than applied unseen.
export const runDirectorySync = async (options: {
  prisma: TPrisma; actor: TActor; serverId: string; apply: boolean; expectedHash?: string; tlsOptions?: ConnectionOptions; now?: Date;
}): Promise<TSyncRun> => {
  const { prisma, serverId } = options;
  const server = await prisma.primaryAuthServer.findUnique({ where: { id: serverId }, omit: { secret: false }, include: { directorySync: true } });
  if (!server) throw new AppError("NOT_FOUND", "That server no longer exists");
  if (server.kind !== "ldap") throw new AppError("VALIDATION", "Directory sync reads LDAP / Active Directory servers only");
  const settings = server.directorySync;
  if (!settings) throw new AppError("VALIDATION", "Save the directory sync settings first");
  const [global, override] = await Promise.all([
    prisma.policy.findFirst({ where: { applicationId: null } }),
    server.applicationId ? prisma.policy.findUnique({ where: { applicationId: server.applicationId } }) : null,
  ]);
  const mode = resolveEffectivePolicy({ global, application: override }).usernameNormalization;

  let read: TDirectoryRead;
  try {
    read = await readDirectory({ server: { ...server, secret: server.secret ? decryptSecret(server.secret) : null }, search: settings, tlsOptions: options.tlsOptions });
  } catch (error) {
    if (options.apply) {
      await prisma.directorySync.update({ where: { serverId }, data: { lastRunAt: options.now ?? new Date(), lastStatus: "failed", lastSummary: { error: describeError(error) } } });
    }
    throw new AppError("UNAVAILABLE", `Could not read ${server.name}: ${describeError(error)}. Nothing was changed.`);
  }

  const usernames = read.users.flatMap((entry) => {
    const name = accountName(entry.name, mode);
    return name.ok ? [name.username] : [];
  });
  const chosen = new Set(settings.groupDns.map(dnKey));
  const groupNames = read.groups.filter((group) => chosen.has(dnKey(group.dn))).flatMap((group) => {
    const name = decodeDirectoryText(group.name, "group name");
    return name?.ok ? [name.text] : [];
  });

  const recordFailure = async (error: unknown) => {
    if (!options.apply || (error instanceof AppError && error.code === "CONFLICT")) return;
    await prisma.directorySync.updateMany({ where: { serverId }, data: { lastRunAt: options.now ?? new Date(), lastStatus: "failed", lastSummary: { error: describeError(error) } } }).catch(() => undefined);
  };
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('twofold:directory-sync'), hashtext(${serverId}))`;
      const current = await loadSyncState({ tx, serverId, usernames, groupNames });
      const diff = computeSyncDiff({ read, current, chosenGroupDns: settings.groupDns, mode });
      const hash = hashSyncDiff(diff);
      if (!options.apply) return { diff, hash, applied: false };
      if (options.expectedHash !== undefined && options.expectedHash !== hash) {
        throw new AppError("CONFLICT", "The directory or Twofold's users changed since the preview: review the new dry-run and apply again. Nothing was changed.");
      }
      const now = options.now ?? new Date();
      await applySyncDiff({ tx, serverId, serverName: server.name, diff, now });
      const summary = summarizeSyncDiff(diff);
      await tx.directorySync.update({ where: { serverId }, data: { lastRunAt: now, lastStatus: "applied", lastSummary: { counts: summary.counts, refused: summary.refused, warnings: summary.warnings } } });
      await recordAuditEvent({ db: tx, actor: options.actor, action: "directory_sync.apply", targetType: "PrimaryAuthServer", targetId: serverId, after: summary });
      return { diff, hash, applied: true };
    },
    { timeout: 300_000, maxWait: 30_000 },
  ).catch(async (error: unknown) => {
    // Rolled back: nothing was applied, and the server's page says so instead of showing the previous success.
    await recordFailure(error);
    throw error;
  });
};
