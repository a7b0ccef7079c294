import type { ConnectionOptions } from "node:tls";
import type { TSnapshotApplication } from "../config/snapshot-schema";
import { authenticateLdapServers } from "./authenticate-ldap-servers";
import type { TPrimaryRequest, TPrimaryResult } from "./types";

// Shape of the worker's directory hook: the application's LDAP servers, in their configured order.
export const authenticateApplicationLdap = (options: {
  application: Pick<TSnapshotApplication, "primaryAuthServers">;
  request: Pick<TPrimaryRequest, "username" | "password">;
  tlsOptions?: ConnectionOptions;
}): Promise<TPrimaryResult> =>
  authenticateLdapServers({
    servers: options.application.primaryAuthServers.filter((server) => server.kind === "ldap"),
    request: options.request,
    tlsOptions: options.tlsOptions,
  });
