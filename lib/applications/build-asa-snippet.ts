// The ASA side of an application, in the shape Cisco admins already paste for the Duo proxy: one host block per
// worker (two or more for redundancy) with `timeout 60` so a push can be answered before the ASA gives up.
export const asaServerGroupName = (applicationName: string): string =>
  `TWOFOLD-${applicationName.trim().replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "").toUpperCase() || "MFA"}`;

// relaysMschapv2: the application's primary is upstream RADIUS, which Twofold relays MS-CHAPv2 to; then the ASA may
// send it (and, with password-management, offer a new password when the upstream says it expired: E=648).
export const buildAsaSnippet = (options: { applicationName: string; workerAddresses: string[]; tunnelGroup?: string; authPort?: number; acctPort?: number; relaysMschapv2?: boolean }): string => {
  const group = asaServerGroupName(options.applicationName);
  const addresses = options.workerAddresses.length > 0 ? options.workerAddresses : ["TWOFOLD_WORKER_IP"];
  const hosts = addresses.flatMap((address) => [
    `aaa-server ${group} (inside) host ${address}`,
    " timeout 60",
    " key *****",
    ` authentication-port ${options.authPort ?? 1812}`,
    ` accounting-port ${options.acctPort ?? 1813}`,
    options.relaysMschapv2 ? " mschapv2-capable" : " no mschapv2-capable",
  ]);
  return [
    `aaa-server ${group} protocol radius`,
    ...hosts,
    "",
    `tunnel-group ${options.tunnelGroup ?? "AnyConnect-Group"} general-attributes`,
    ` authentication-server-group ${group}`,
    ...(options.relaysMschapv2 ? [" password-management"] : []),
    "",
  ].join("\n");
};
