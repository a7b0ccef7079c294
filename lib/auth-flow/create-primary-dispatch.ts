import { verify } from "@node-rs/argon2";
import type { TSnapshotApplication } from "../config/snapshot-schema";
import type { TPrimaryRequest, TPrimaryResult } from "../primary-auth/types";
import { authenticateUpstream } from "../radius/upstream/authenticate-upstream";
import type { TUpstreamTransport } from "../radius/upstream/create-upstream-transport";
import type { THoldDown } from "../radius/upstream/hold-down";
import type { TPrimaryDispatch } from "./flow-types";
import type { TFlowUser } from "./lookup-user";

export type TDirectoryAuth = (options: { application: TSnapshotApplication; request: TPrimaryRequest }) => Promise<TPrimaryResult>;

// Local users: argon2id hash in Twofold's own database. An unknown user costs the same as a wrong password.
const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$hKr63DRni5HjGTvTBdfC8g$/3vkt6xxlUiHvuyXMUVgrdTqcC1EFCPw+iTTTBbAxLg";
const authenticateLocal = async (request: TPrimaryRequest, user: TFlowUser | undefined): Promise<TPrimaryResult> => {
  const started = performance.now();
  const hash = user?.passwordHash ?? DUMMY_HASH;
  let ok = false;
  try {
    ok = await verify(hash, request.password);
  } catch {
    ok = false;
  }
  const ms = Math.round(performance.now() - started);
  return ok && user?.passwordHash ? { outcome: "accept", attributes: [], groups: user.groupNames, ms } : { outcome: "reject", ms };
};

// Primary authentication per application mode. LDAP comes from lib/primary-auth (injected so the worker can run
// without a directory configured).
export const createPrimaryDispatch = (options: { transport: TUpstreamTransport; holdDown: THoldDown; ldap?: TDirectoryAuth; local?: TDirectoryAuth }): TPrimaryDispatch =>
  async ({ application, request, user }) => {
    switch (application.primaryAuthMode) {
      case "radius":
        return authenticateUpstream({
          transport: options.transport,
          holdDown: options.holdDown,
          servers: application.primaryAuthServers.filter((server) => server.kind === "radius"),
          request,
        });
      case "ldap":
        if (!options.ldap) return { outcome: "error", ms: 0, detail: "LDAP primary authentication is not available in this worker" };
        return options.ldap({ application, request });
      case "local":
        return options.local ? options.local({ application, request }) : authenticateLocal(request, user);
      default:
        return { outcome: "accept", attributes: [], groups: [], ms: 0 };
    }
  };
