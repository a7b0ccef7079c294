import { afterAll, describe, expect, it } from "vitest";
import { seedApplication } from "../../worker/test-support/seed";
import { disconnectPrisma, prisma } from "../db";
import { findIgnoringApplications } from "./find-ignoring-applications";

afterAll(disconnectPrisma);

const server = (applicationId: string | null, kind: "radius" | "ldap", name: string, accountingPort: number | null = null) =>
  prisma.primaryAuthServer.create({ data: { name, kind, applicationId, host: "192.0.2.10", port: kind === "radius" ? 1812 : 389, accountingPort, baseDn: kind === "ldap" ? "dc=example,dc=test" : null } });

describe("findIgnoringApplications", () => {
  it("names, on the server's side, each attached application whose primary mode ignores the server", async () => {
    const local = await seedApplication({ prisma, primaryAuthMode: "local" });
    const relaying = await seedApplication({ prisma, primaryAuthMode: "radius" });
    let spare = "";
    try {
      const ignored = await server(local.id, "radius", `ise-${local.name}`);
      const accounting = await server(local.id, "radius", `acct-${local.name}`, 1813);
      const directory = await server(local.id, "ldap", `dc-${local.name}`);
      const used = await server(relaying.id, "radius", `ise-${relaying.name}`);
      const unattached = await server(null, "radius", `spare-${local.name}`);
      spare = unattached.id;
      const found = await findIgnoringApplications({ prisma, serverIds: [ignored.id, accounting.id, directory.id, used.id, unattached.id] });
      const byServer = new Map(found.map((row) => [row.serverId, row]));
      expect(byServer.get(ignored.id)).toEqual({
        serverId: ignored.id,
        applicationId: local.id,
        applicationName: local.name,
        warning: `RADIUS server "ise-${local.name}" is ignored: it checks passwords only for an upstream RADIUS primary (this one is local password) and has no accounting port.`,
      });
      expect(byServer.get(accounting.id)?.warning).toBe(`RADIUS server "acct-${local.name}" does not check passwords here (the primary is local password); it still receives accounting on port 1813.`);
      expect(byServer.get(directory.id)?.warning).toBe(`LDAP server "dc-${local.name}" does not check passwords here: the primary is local password.`);
      // Used as configured, or attached to nothing: nothing to warn about.
      expect(byServer.has(used.id)).toBe(false);
      expect(byServer.has(unattached.id)).toBe(false);
    } finally {
      await prisma.primaryAuthServer.deleteMany({ where: { id: spare } });
      await prisma.application.deleteMany({ where: { id: { in: [local.id, relaying.id] } } });
    }
  });
});
