import type { ConnectionOptions } from "node:tls";
import { Client } from "ldapts";

export type TDirectoryServer = {
  name: string; host: string; port: number; secret: string | null; bindDn: string | null; baseDn: string | null;
  usernameAttribute: string | null; tlsMode: string; timeoutMs: number;
};

// A service-account connection as the login's LDAP check opens it (lib/primary-auth/ldap.ts): the same TLS modes,
// timeouts and bind. A sync only ever reads, as that account.
export const openDirectory = async (options: { server: TDirectoryServer; tlsOptions?: ConnectionOptions }): Promise<Client> => {
  const { server } = options;
  const tls: ConnectionOptions = { servername: server.host, ...options.tlsOptions };
  const scheme = server.tlsMode === "ldaps" ? "ldaps" : "ldap";
  const client = new Client({
    url: `${scheme}://${server.host.includes(":") ? `[${server.host}]` : server.host}:${server.port}`,
    timeout: Math.max(server.timeoutMs, 30_000), // a whole directory, page by page, not one user
    connectTimeout: server.timeoutMs,
    tlsOptions: scheme === "ldaps" ? tls : undefined,
    strictDN: false,
  });
  try {
    if (server.tlsMode === "starttls") await client.startTLS(tls);
    if (server.bindDn) await client.bind(server.bindDn, server.secret ?? "");
    return client;
  } catch (error) {
    await client.unbind().catch(() => {});
    throw error;
  }
};

// The attribute(s) naming the account: the server's own setting, else AD's and OpenLDAP's defaults, as at login.
export const nameAttributes = (server: Pick<TDirectoryServer, "usernameAttribute">): string[] => {
  const configured = server.usernameAttribute?.trim();
  return configured ? [configured] : ["sAMAccountName", "uid"];
};
