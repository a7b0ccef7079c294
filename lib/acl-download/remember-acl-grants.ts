import type { TPrimaryDispatch } from "../auth-flow/flow-types";
import type { TAclGrantMemory } from "./create-acl-grant-memory";
import { findGrantedAclNames } from "./find-granted-acl-names";

// Wraps the primary dispatch: an upstream Access-Accept naming a downloadable ACL is remembered with the server that
// sent it (the primary names its server; names are matched within the application's own servers).
export const rememberAclGrants = (options: { primary: TPrimaryDispatch; grants: TAclGrantMemory }): TPrimaryDispatch =>
  async (request) => {
    const result = await options.primary(request);
    if (result.outcome !== "accept" || !result.server) return result;
    const server = request.application.primaryAuthServers.find((candidate) => candidate.kind === "radius" && candidate.name === result.server);
    if (!server) return result;
    for (const aclName of findGrantedAclNames(result.attributes)) options.grants.remember({ applicationId: request.application.id, aclName, serverId: server.id });
    return result;
  };
