import { KeyObject } from "node:crypto";
import type { TPrisma } from "../db";
import { parseCidr } from "../net/cidr";
import { createRadiusSecret } from "../radius/radius-secret";
import { configWarnings } from "./config-warnings";
import { configProblem, decryptField, validateRow } from "./row-problems";
import {
  ZPolicyRowSchema,
  ZSnapshotApplicationSchema,
  ZSnapshotClientSchema,
  ZSnapshotPrimaryServerSchema,
  type TConfigProblem,
  type TConfigSnapshot,
  type TPolicyRow,
  type TSnapshotApplication,
  type TSnapshotClient,
  type TSnapshotPrimaryServer,
} from "./snapshot-schema";

// Buffers cannot be frozen (and KeyObjects need not be): the prepared RADIUS secrets are left as they are.
const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === "object" && !Object.isFrozen(value) && !ArrayBuffer.isView(value) && !(value instanceof KeyObject)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
};

const readRows = (prisma: TPrisma) =>
  // One repeatable-read transaction: the version and the rows describe the same moment.
  prisma.$transaction(
    [
      prisma.configVersion.findUnique({ where: { id: 1 } }),
      prisma.radiusClient.findMany({ omit: { secret: false }, orderBy: [{ name: "asc" }, { id: "asc" }] }),
      prisma.application.findMany({
        omit: { skey: false },
        orderBy: [{ name: "asc" }, { id: "asc" }],
        include: {
          permittedGroups: { include: { group: { select: { id: true, name: true } } } },
          groupMappings: { include: { group: { select: { name: true } } }, orderBy: [{ position: "asc" }, { id: "asc" }] },
        },
      }),
      prisma.policy.findMany({ orderBy: { id: "asc" } }),
      // Top-level query: a nested include does not carry the `omit: { secret: false }` override in its types.
      prisma.primaryAuthServer.findMany({
        where: { applicationId: { not: null } },
        omit: { secret: false },
        orderBy: [{ position: "asc" }, { id: "asc" }],
      }),
    ],
    { isolationLevel: "RepeatableRead" },
  );

type TRows = Awaited<ReturnType<typeof readRows>>;

const buildClient = (row: TRows[1][number], key: Buffer | undefined, problems: TConfigProblem[]): TSnapshotClient | undefined => {
  const cidr = parseCidr(row.address);
  if ("error" in cidr) {
    problems.push(configProblem("RadiusClient", row.id, "address", `"${row.address}" is not an address or CIDR (${cidr.error})`));
    return undefined;
  }
  const secret = decryptField(row.secret, "RadiusClient", row.id, "secret", key);
  if (!secret.ok) {
    problems.push(secret.problem);
    return undefined;
  }
  const result = validateRow(ZSnapshotClientSchema, "RadiusClient", row.id, { ...row, key: row.id, cidr, secret: secret.value ?? "", radiusSecret: createRadiusSecret(secret.value ?? "") });
  if (!result.ok) problems.push(...result.problems);
  return result.ok ? result.value : undefined;
};

const buildServer = (
  row: TRows[4][number],
  key: Buffer | undefined,
  problems: TConfigProblem[],
): TSnapshotPrimaryServer | undefined => {
  const secret = decryptField(row.secret, "PrimaryAuthServer", row.id, "secret", key);
  if (!secret.ok) {
    problems.push(secret.problem);
    return undefined;
  }
  const result = validateRow(ZSnapshotPrimaryServerSchema, "PrimaryAuthServer", row.id, {
    ...row,
    secret: secret.value,
    radiusSecret: row.kind === "radius" && secret.value ? createRadiusSecret(secret.value) : undefined,
  });
  if (!result.ok) problems.push(...result.problems);
  return result.ok ? result.value : undefined;
};

const buildApplication = (
  row: TRows[2][number],
  serverRows: TRows[4],
  key: Buffer | undefined,
  problems: TConfigProblem[],
): TSnapshotApplication | undefined => {
  const primaryAuthServers = serverRows
    .filter((server) => server.applicationId === row.id)
    .flatMap((server) => buildServer(server, key, problems) ?? []);
  const skey = decryptField(row.skey, "Application", row.id, "skey", key);
  if (!skey.ok) {
    problems.push(skey.problem);
    return undefined;
  }
  const result = validateRow(ZSnapshotApplicationSchema, "Application", row.id, {
    ...row,
    skey: skey.value,
    permittedGroups: row.permittedGroups.map((link) => link.group),
    groupMappings: row.groupMappings.map((mapping) => ({ ...mapping, groupName: mapping.group?.name ?? null })),
    primaryAuthServers,
  });
  if (!result.ok) problems.push(...result.problems);
  return result.ok ? result.value : undefined;
};

// Reads and validates the whole worker configuration. Bad rows are skipped and listed in `problems`.
export const loadConfigSnapshot = async (options: { prisma: TPrisma; secretKey?: Buffer }): Promise<TConfigSnapshot> => {
  const started = new Date();
  const [versionRow, clientRows, applicationRows, policyRows, serverRows] = await readRows(options.prisma);
  const problems: TConfigProblem[] = [];
  const clients = clientRows.flatMap((row) => buildClient(row, options.secretKey, problems) ?? []);
  const applications = applicationRows.flatMap((row) => buildApplication(row, serverRows, options.secretKey, problems) ?? []);
  problems.push(...configWarnings({ clients, applications }));
  const policies = policyRows.flatMap((row): TPolicyRow[] => {
    const result = validateRow(ZPolicyRowSchema, "Policy", row.id, row);
    if (!result.ok) problems.push(...result.problems);
    return result.ok ? [result.value] : [];
  });
  return deepFreeze({
    version: Number(versionRow?.version ?? 0),
    loadedAt: started, // when the read began: `Date.now() - loadedAt` after building is the load time
    clients,
    applications,
    globalPolicy: policies.find((policy) => policy.applicationId === null) ?? null,
    policyOverrides: policies.filter((policy) => policy.applicationId !== null),
    problems,
  });
};
