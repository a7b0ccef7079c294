import type { TRadiusRequest } from "../radius/request-schema";
import { ciscoAvpairs } from "./cisco-avpairs";

// ISE names every downloadable ACL "#ACSACL#-IP-<name>-<version>" (IPv6: "#ACSACL#-IPV6-…").
export const ACL_NAME_PREFIX = "#ACSACL#-";
export const ACL_DOWNLOAD_MARKERS = ["aaa:service=ip_admission", "aaa:event=acl-download"] as const;

// The NAS fetching a downloadable ACL (Cisco's protocol): User-Name is the ACL's name and the request carries both
// AV-pair markers. Anything short of all three is a login and goes through the whole pipeline: a user can type
// "#ACSACL#-IP-x" as a name, but only the NAS (holding the secret) can add the AV-pairs.
export const isAclDownloadRequest = (request: TRadiusRequest): { aclName: string } | undefined => {
  const name = request.userName;
  if (!name || !name.startsWith(ACL_NAME_PREFIX) || name.length === ACL_NAME_PREFIX.length) return undefined;
  const pairs = new Set(ciscoAvpairs(request.attributes));
  return ACL_DOWNLOAD_MARKERS.every((marker) => pairs.has(marker)) ? { aclName: name } : undefined;
};
