import type { ConnectionOptions } from "node:tls";
import type { Client } from "ldapts";
import { ldapNameAttributes, openLdapClient } from "../primary-auth/open-ldap-client";

export type TDirectoryServer = {
  name: string; host: string; port: number; secret: string | null; bindDn: string | null; baseDn: string | null;
  usernameAttribute: string | null; tlsMode: string; timeoutMs: number;
};

// A service-account connection exactly as a login's LDAP check opens it; a sync only ever reads, as that account, and
// a whole directory page by page gets more time per operation than one user's lookup.
export const openDirectory = (options: { server: TDirectoryServer; tlsOptions?: ConnectionOptions }): Promise<Client> =>
  openLdapClient({ server: options.server, tlsOptions: options.tlsOptions, timeoutMs: Math.max(options.server.timeoutMs, 30_000) });

export const nameAttributes = ldapNameAttributes;
