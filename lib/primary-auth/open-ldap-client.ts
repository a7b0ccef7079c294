import type { ConnectionOptions } from "node:tls";
import { Client } from "ldapts";

export type TLdapConnection = { host: string; port: number; secret: string | null; bindDn: string | null; tlsMode: string; timeoutMs: number };

// The one way Twofold connects to a directory (a login's check, a directory sync): the server's TLS mode (ldaps,
// STARTTLS or none), its timeouts, and a bind as the service account when one is configured. On failure the
// connection is closed before the error is thrown. `timeoutMs` per operation defaults to the server's.
export const openLdapClient = async (options: { server: TLdapConnection; tlsOptions?: ConnectionOptions; timeoutMs?: number }): Promise<Client> => {
  const { server } = options;
  const tls: ConnectionOptions = { servername: server.host, ...options.tlsOptions };
  const scheme = server.tlsMode === "ldaps" ? "ldaps" : "ldap";
  const client = new Client({
    url: `${scheme}://${server.host.includes(":") ? `[${server.host}]` : server.host}:${server.port}`,
    timeout: options.timeoutMs ?? server.timeoutMs,
    connectTimeout: server.timeoutMs,
    // ldapts opens TLS whenever tlsOptions is set, even for ldap://: only hand it over for ldaps.
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

// The attribute(s) that name the account canonically: the server's own setting, else AD's (sAMAccountName) and
// OpenLDAP's (uid) defaults. A login resolves to it and a sync imports it, so both name one account the same way.
export const ldapNameAttributes = (server: { usernameAttribute: string | null }): string[] => {
  const configured = server.usernameAttribute?.trim();
  return configured ? [configured] : ["sAMAccountName", "uid"];
};
