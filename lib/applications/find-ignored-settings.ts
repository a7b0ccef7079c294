export type TApplicationSettings = {
  kind: string;
  primaryAuthMode: string;
  passThroughAll: boolean;
  passThroughAttrs: readonly string[];
  primaryAuthServers: readonly { name: string; kind: string; accountingPort: number | null }[];
};

const MODE_NAMES: Record<string, string> = { radius: "upstream RADIUS", ldap: "LDAP / Active Directory", local: "local password", none: "none" };
const modeNameOf = (mode: string) => MODE_NAMES[mode] ?? mode;

type TAttachedServer = TApplicationSettings["primaryAuthServers"][number];

// One attached server: what the application's mode makes of it, or undefined when it is used as configured. Also
// what the server's own page says about the application it is attached to.
export const findIgnoredServer = ({ application, server }: { application: Pick<TApplicationSettings, "kind" | "primaryAuthMode">; server: TAttachedServer }): string | undefined => {
  if (application.kind !== "radius") return undefined;
  const mode = application.primaryAuthMode;
  const modeName = modeNameOf(mode);
  if (server.kind === "radius" && mode !== "radius") {
    return server.accountingPort === null
      ? `RADIUS server "${server.name}" is ignored: it checks passwords only for an upstream RADIUS primary (this one is ${modeName}) and has no accounting port.`
      : `RADIUS server "${server.name}" does not check passwords here (the primary is ${modeName}); it still receives accounting on port ${server.accountingPort}.`;
  }
  if (server.kind === "ldap" && mode !== "ldap") return `LDAP server "${server.name}" does not check passwords here: the primary is ${modeName}.`;
  return undefined;
};

// Saved settings the worker will not use with this application's primary mode, in the worker's own terms:
// attributes are passed through only from an upstream RADIUS Access-Accept (lib/auth-flow/filter-pass-through.ts);
// RADIUS servers check passwords only for a RADIUS primary (create-primary-dispatch.ts) but still take accounting
// when they have an accounting port (lib/accounting-forward); LDAP servers check passwords only for an LDAP primary.
export const findIgnoredSettings = ({ application }: { application: TApplicationSettings }): string[] => {
  if (application.kind !== "radius") return [];
  const mode = application.primaryAuthMode;
  const modeName = modeNameOf(mode);
  const warnings: string[] = [];
  if (mode !== "radius" && (!application.passThroughAll || application.passThroughAttrs.length > 0)) {
    warnings.push(`The pass-through attribute list is ignored: only an upstream RADIUS primary returns attributes (this application's primary is ${modeName}).`);
  }
  for (const server of application.primaryAuthServers) {
    const ignored = findIgnoredServer({ application, server });
    if (ignored) warnings.push(ignored);
  }
  const checking = application.primaryAuthServers.filter((server) => server.kind === mode);
  if ((mode === "radius" || mode === "ldap") && checking.length === 0) {
    warnings.push(`No ${modeName} server is attached: every login to this application is rejected until one is added under Primary auth.`);
  }
  return warnings;
};
