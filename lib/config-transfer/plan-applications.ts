import { randomUUID } from "node:crypto";
import type { TPrisma } from "../db";
import { createApplication } from "../applications/create-application";
import { ZApplicationInputSchema } from "../applications/schema";
import { updateApplication } from "../applications/update-application";
import { saveGroup } from "../groups/manage-groups";
import { ZPolicyInputSchema } from "../policy/policy-form-schema";
import { savePolicy } from "../policy/save-policy";
import { POLICY_FIELDS, ZConfigPolicySchema, type TConfigDocument, type TConfigPolicy } from "./config-document-schema";
import { diffFields, skip, stepFor, type TIdMap, type TPlanStep } from "./config-plan-types";
import { setImportedApplicationKeys } from "./set-imported-application-keys";

const APPLICATION_FIELDS = ["kind", "primaryAuthMode", "factorEntry", "appendDelimiter", "passThroughAll", "passThroughAttrs", "permittedGroups"] as const;
const issues = (error: { issues: { path: PropertyKey[]; message: string }[] }) => error.issues.map((issue) => `${issue.path.map(String).join(".") || "value"}: ${issue.message}`).join("; ");
const needId = (map: Map<string, string>, name: string) => {
  const id = map.get(name);
  if (!id) throw new Error(`${name} was not created`);
  return id;
};

export const planGroups = async (options: { prisma: TPrisma; document: TConfigDocument }): Promise<TPlanStep[]> => {
  const existing = new Map((await options.prisma.group.findMany()).map((group) => [group.name, group]));
  return options.document.groups.map((group) => {
    const before = existing.get(group.name);
    return stepFor({
      entity: "group",
      name: group.name,
      exists: Boolean(before),
      changes: diffFields(before, group, ["description"]),
      run: async ({ prisma, actor, ids }) => {
        const { id } = await saveGroup({ prisma, actor, id: before?.id, input: group });
        ids.groups.set(group.name, id);
      },
    });
  });
};

const planPolicy = (options: { name: string; application?: string; before: TConfigPolicy | undefined; policy: TConfigPolicy }): TPlanStep => {
  const parsed = ZPolicyInputSchema.safeParse(options.policy);
  if (!parsed.success) return skip("policy", options.name, issues(parsed.error));
  return stepFor({
    entity: "policy",
    name: options.name,
    exists: Boolean(options.before),
    changes: diffFields(options.before, options.policy, POLICY_FIELDS),
    run: async ({ prisma, actor, ids }) => {
      const applicationId = options.application === undefined ? undefined : needId(ids.applications, options.application);
      await savePolicy({ prisma, actor, applicationId, input: options.policy, mode: "replace" });
    },
  });
};

// Applications by name, with their permitted groups and policy override; the global policy first.
export const planApplications = async (options: { prisma: TPrisma; document: TConfigDocument; knownGroups: Set<string>; notes: string[] }): Promise<TPlanStep[]> => {
  const { prisma, document, notes } = options;
  const rows = await prisma.application.findMany({ include: { permittedGroups: { include: { group: true } }, groupMappings: true, policy: true } });
  const existing = new Map(rows.map((row) => [row.name, row]));
  const globalRow = await prisma.policy.findFirst({ where: { applicationId: null } });
  const steps: TPlanStep[] = [];
  if (document.globalPolicy) steps.push(planPolicy({ name: "global", before: globalRow ? ZConfigPolicySchema.parse(globalRow) : undefined, policy: document.globalPolicy }));
  for (const application of document.applications) {
    const before = existing.get(application.name);
    const unknownGroups = application.permittedGroups.filter((group) => !options.knownGroups.has(group));
    if (unknownGroups.length > 0) {
      steps.push(skip("application", application.name, `permitted group(s) neither in the file nor the database: ${unknownGroups.join(", ")}`));
      continue;
    }
    const input = { ...application, permittedGroupIds: application.permittedGroups.map(() => randomUUID()) };
    const parsed = ZApplicationInputSchema.safeParse(input);
    if (!parsed.success) {
      steps.push(skip("application", application.name, application.kind === "admin_api" ? "Admin API applications are created in the console" : issues(parsed.error)));
      continue;
    }
    const current = before && { ...before, permittedGroups: before.permittedGroups.map((permitted) => permitted.group.name).sort() };
    const changes = diffFields(current, { ...application, permittedGroups: [...application.permittedGroups].sort() }, APPLICATION_FIELDS);
    if (before && application.ikey && application.ikey !== before.ikey) notes.push(`application ${application.name}: the file's ikey differs from the database's; the database's is kept (rotate keys in the console)`);
    if (application.groupMappings.length > 0 || (before?.groupMappings.length ?? 0) > 0) {
      const same = JSON.stringify(before?.groupMappings.map((mapping) => mapping.classValue) ?? []) === JSON.stringify(application.groupMappings.map((mapping) => mapping.classValue));
      if (!same) notes.push(`application ${application.name}: group → Class mappings are not imported; set them in the console`);
    }
    steps.push(
      stepFor({
        entity: "application",
        name: application.name,
        exists: Boolean(before),
        changes,
        run: async ({ prisma: db, actor, ids }) => {
          const body = { ...application, permittedGroupIds: application.permittedGroups.map((group) => needId(ids.groups, group)) };
          if (before) return updateApplication({ prisma: db, actor, id: before.id, input: body });
          const created = await createApplication({ prisma: db, actor, input: body });
          ids.applications.set(application.name, created.id);
          // An Auth API client configured with the old ikey/skey keeps working when the file carries both.
          if (application.ikey && application.skey) await setImportedApplicationKeys({ prisma: db, actor, id: created.id, ikey: application.ikey, skey: application.skey });
        },
      }),
    );
    if (application.policy) {
      steps.push(planPolicy({ name: application.name, application: application.name, before: before?.policy ? ZConfigPolicySchema.parse(before.policy) : undefined, policy: application.policy }));
    } else if (before?.policy) notes.push(`application ${application.name}: its policy override in the database is kept (the file has none)`);
  }
  return steps;
};

export const initialIds = async (prisma: TPrisma): Promise<TIdMap> => ({
  applications: new Map((await prisma.application.findMany({ select: { id: true, name: true } })).map((row) => [row.name, row.id])),
  groups: new Map((await prisma.group.findMany({ select: { id: true, name: true } })).map((row) => [row.name, row.id])),
});
