import { configProblem } from "./row-problems";
import type { TConfigProblem, TSnapshotApplication, TSnapshotClient } from "./snapshot-schema";

// Rows that load fine but cannot authenticate anyone as configured; logged so an admin sees why requests fail.
export const configWarnings = (options: { clients: TSnapshotClient[]; applications: TSnapshotApplication[] }): TConfigProblem[] => {
  const warnings: TConfigProblem[] = [];
  const applicationIds = new Set(options.applications.map((application) => application.id));
  for (const client of options.clients) {
    if (client.applicationId === null) {
      warnings.push(configProblem("RadiusClient", client.id, "applicationId", `"${client.name}" belongs to no application`, false));
    } else if (!applicationIds.has(client.applicationId)) {
      warnings.push(configProblem("RadiusClient", client.id, "applicationId", `"${client.name}" belongs to an application that did not load`, false));
    }
  }
  for (const application of options.applications) {
    const mode = application.primaryAuthMode;
    if (mode !== "radius" && mode !== "ldap") continue;
    const servers = application.primaryAuthServers.filter((server) => server.kind === mode);
    if (servers.length === 0) {
      warnings.push(configProblem("Application", application.id, "primaryAuthServers", `"${application.name}" uses ${mode} primary authentication but has no ${mode} server`, false));
    }
    for (const server of servers) {
      if (mode === "radius" && !server.secret) warnings.push(configProblem("PrimaryAuthServer", server.id, "secret", `RADIUS server "${server.name}" has no shared secret`, false));
      if (mode === "ldap" && !server.baseDn) warnings.push(configProblem("PrimaryAuthServer", server.id, "baseDn", `LDAP server "${server.name}" has no base DN`, false));
    }
  }
  return warnings;
};
