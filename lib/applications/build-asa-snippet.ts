import type { TAsaHost } from "./list-asa-targets";

// The ASA side of an application, in the shape Cisco admins already paste for the Duo proxy: one host block per
// worker (two or more for redundancy) with `timeout 60` so a push can be answered before the ASA gives up.
const groupName = (prefix: string, applicationName: string): string =>
  `${prefix}-${applicationName.trim().replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "").toUpperCase() || "MFA"}`;
export const asaServerGroupName = (applicationName: string): string => groupName("TWOFOLD", applicationName);

// Never a made-up address: with none known the ASA refuses the line until the admin fills it in.
export const ASA_ADDRESS_PLACEHOLDER = "<TWOFOLD-WORKER-ADDRESS>";

export type TBuildAsaSnippetOptions = {
  applicationName: string;
  hosts?: TAsaHost[]; // where the workers listen (lib/applications/list-asa-targets.ts)
  workerAddresses?: string[]; // addresses alone, with authPort/acctPort (or 1812/1813) for each
  authPort?: number;
  acctPort?: number;
  tunnelGroup?: string;
  // The application's primary is upstream RADIUS, which Twofold relays MS-CHAPv2 to: the ASA may send it (and, with
  // password-management, offer a new password when the upstream says it expired: E=648).
  relaysMschapv2?: boolean;
  // The port the ASA takes CoA/Disconnect on (the RADIUS client's CoA port in Twofold): Twofold relays ISE's there.
  coaPort?: number;
  // Authentication by Twofold, authorization by ISE (`authorize-only`): the ISE servers the ASA asks directly.
  splitAuthorization?: { servers: { host: string; port: number }[] };
};

const hostBlock = (group: string, host: TAsaHost, relaysMschapv2: boolean | undefined): string[] => [
  `aaa-server ${group} (inside) host ${host.address}`,
  " timeout 60",
  " key *****",
  ` authentication-port ${host.authPort}`,
  ` accounting-port ${host.acctPort}`,
  relaysMschapv2 ? " mschapv2-capable" : " no mschapv2-capable",
];

export const buildAsaSnippet = (options: TBuildAsaSnippetOptions): string => {
  const group = asaServerGroupName(options.applicationName);
  const ports = { authPort: options.authPort ?? 1812, acctPort: options.acctPort ?? 1813 };
  const given = options.hosts ?? (options.workerAddresses ?? []).map((address) => ({ address, ...ports }));
  const hosts = given.length > 0 ? given : [{ address: ASA_ADDRESS_PLACEHOLDER, ...ports }];
  const split = options.splitAuthorization;
  const iseGroup = groupName("ISE", options.applicationName);
  const iseServers = split ? (split.servers.length > 0 ? split.servers : [{ host: "<ISE-PSN-ADDRESS>", port: 1812 }]) : [];
  return [
    `aaa-server ${group} protocol radius`,
    // ISE's CoA and Disconnect reach the ASA through Twofold, which ISE sees as the session's NAS (its accounting too).
    ` dynamic-authorization port ${options.coaPort ?? 1700}`,
    ...hosts.flatMap((host) => hostBlock(group, host, options.relaysMschapv2)),
    ...(split
      ? [
          "",
          "! Authorization by ISE: the ASA asks it directly after Twofold's Accept (an authorization-only policy on ISE).",
          `aaa-server ${iseGroup} protocol radius`,
          " authorize-only",
          ...iseServers.flatMap((server) => [`aaa-server ${iseGroup} (inside) host ${server.host}`, " timeout 10", " key *****", ` authentication-port ${server.port}`]),
        ]
      : []),
    "",
    `tunnel-group ${options.tunnelGroup ?? "AnyConnect-Group"} general-attributes`,
    ` authentication-server-group ${group}`,
    ...(options.relaysMschapv2 ? [" password-management"] : []),
    ...(split ? [` authorization-server-group ${iseGroup}`] : []),
    // Twofold keeps the sessions (live sessions, Disconnect, placing ISE's CoA) and forwards the records to ISE.
    ` accounting-server-group ${group}`,
    "",
  ].join("\n");
};
