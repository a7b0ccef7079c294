import { loadConfigSnapshot } from "../config/load-config-snapshot";
import type { TSnapshotApplication } from "../config/snapshot-schema";
import type { TPrisma } from "../db";
import { authenticateApplicationLdap } from "../primary-auth/authenticate-application-ldap";
import { authenticateLocal } from "../primary-auth/local";
import type { TPrimaryRequest, TPrimaryResult } from "../primary-auth/types";
import { authenticateUpstream } from "../radius/upstream/authenticate-upstream";
import { createUpstreamTransport } from "../radius/upstream/create-upstream-transport";
import { createHoldDown } from "../radius/upstream/hold-down";
import { findAcceptedLogin } from "./find-accepted-login";
import type { TVerifyEnrollmentPassword } from "./verify-enrollment-password";

const runPrimary = async (application: TSnapshotApplication, request: TPrimaryRequest, prisma: TPrisma): Promise<TPrimaryResult | undefined> => {
  switch (application.primaryAuthMode) {
    case "local":
      return authenticateLocal({ prisma, username: request.username, password: request.password });
    case "ldap":
      return authenticateApplicationLdap({ application, request });
    case "radius": {
      const transport = await createUpstreamTransport();
      try {
        const servers = application.primaryAuthServers.filter((server) => server.kind === "radius");
        return await authenticateUpstream({ transport, servers, holdDown: createHoldDown({ holdMs: 0 }), request });
      } finally {
        await transport.close();
      }
    }
    default:
      return undefined; // "none": the NAS checks the password, Twofold never sees it
  }
};

// "Same primary auth as their application": the application of the user's latest login that its primary accepted
// (findAcceptedLogin), or the only application there is. The name typed in that same login is sent upstream (ISE/NPS
// may expect DOMAIN\user): the primary took it for this account once; without such a login, the account's own name.
// An upstream Access-Challenge (an RSA prompt, say) cannot be relayed to this page: "unavailable".
export const createApplicationPrimaryVerifier = ({ prisma }: { prisma: TPrisma }): TVerifyEnrollmentPassword =>
  async ({ userId, username, password }) => {
    const snapshot = await loadConfigSnapshot({ prisma });
    const candidates = snapshot.applications.filter((app) => app.kind === "radius" && app.primaryAuthMode !== "none");
    const login = await findAcceptedLogin({ prisma, userId, applicationIds: candidates.map((app) => app.id) });
    const application = candidates.find((app) => app.id === login?.applicationId) ?? (candidates.length === 1 ? candidates[0] : undefined);
    if (!application) return "unavailable";
    const sameLogin = login?.applicationId === application.id;
    const request: TPrimaryRequest = { username, usernameRaw: (sameLogin && login.usernameRaw) || username, password: Buffer.from(password, "utf8"), forwardAttributes: [] };
    const result = await runPrimary(application, request, prisma);
    if (!result) return "unavailable";
    if (result.outcome === "accept") return true;
    return result.outcome === "reject" ? false : "unavailable";
  };
