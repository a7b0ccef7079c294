import type { TSnapshotApplication } from "../config/snapshot-schema";
import type { TPrisma } from "../db";
import { authenticateApplicationLdap } from "../primary-auth/authenticate-application-ldap";
import { authenticateLocal } from "../primary-auth/local";
import type { TPrimaryRequest, TPrimaryResult } from "../primary-auth/types";
import { authenticateUpstream } from "../radius/upstream/authenticate-upstream";
import type { TUpstreamTransport } from "../radius/upstream/create-upstream-transport";
import type { THoldDown } from "../radius/upstream/hold-down";
import type { TPrimaryDispatch } from "./flow-types";

export type TDirectoryAuth = (options: { application: TSnapshotApplication; request: TPrimaryRequest }) => Promise<TPrimaryResult>;

// Primary authentication per application mode: upstream RADIUS (here), LDAP/AD and local users (lib/primary-auth),
// or none (the NAS already did it). `ldap`/`local` can be replaced, e.g. by a test.
export const createPrimaryDispatch = (options: { prisma: TPrisma; transport: TUpstreamTransport; holdDown: THoldDown; ldap?: TDirectoryAuth; local?: TDirectoryAuth }): TPrimaryDispatch =>
  async ({ application, request }) => {
    switch (application.primaryAuthMode) {
      case "radius":
        return authenticateUpstream({
          transport: options.transport,
          holdDown: options.holdDown,
          servers: application.primaryAuthServers.filter((server) => server.kind === "radius"),
          request,
        });
      case "ldap":
        return options.ldap ? options.ldap({ application, request }) : authenticateApplicationLdap({ application, request });
      case "local":
        return options.local ? options.local({ application, request }) : authenticateLocal({ prisma: options.prisma, username: request.username, password: request.password });
      default:
        return { outcome: "accept", attributes: [], groups: [], ms: 0 };
    }
  };
