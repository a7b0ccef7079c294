import type { TRadiusAttribute } from "../primary-auth/types";
import { ciscoAvpairs } from "./cisco-avpairs";
import { ACL_NAME_PREFIX } from "./is-acl-download-request";

// "ACS:CiscoSecure-Defined-ACL=#ACSACL#-IP-PERMIT_WEB-5f1a2b3c" in an Access-Accept (or a CoA-Request) names the
// downloadable ACL the NAS will fetch next.
const GRANT = /^ACS:CiscoSecure-Defined-ACL=(.+)$/;

export const findGrantedAclNames = (attributes: readonly TRadiusAttribute[]): string[] =>
  ciscoAvpairs(attributes).flatMap((pair) => {
    const name = GRANT.exec(pair)?.[1];
    return name?.startsWith(ACL_NAME_PREFIX) ? [name] : [];
  });
