// The seam between the worker's request handling and primary authentication (upstream RADIUS, LDAP/AD, local, none).
import type { TMschapReply } from "../radius/mschap/read-mschap-reply";

// A RADIUS attribute as carried between Twofold and its peers. `value` is raw bytes so nothing is lost on the
// way from ISE/NPS to the ASA (Class, Cisco-AVPair, vendor 3076...); `vendorId`/`vendorType` are set for VSAs.
export type TRadiusAttribute = { type: number; value: Buffer; vendorId?: number; vendorType?: number };

export type TPrimaryRequest = {
  username: string; // normalized, as Twofold's policy decided
  usernameRaw: string; // as the NAS sent it (upstream servers may expect DOMAIN\user)
  password: Buffer; // the primary password only (any appended passcode already split off)
  nasIp?: string;
  nasIdentifier?: string;
  callingStationId?: string;
  calledStationId?: string;
  // The NAS's attributes, carried to an upstream RADIUS server as sent except the per-hop ones and the credentials
  // (lib/radius/upstream/forwardable-attributes.ts). Empty when there is no NAS request (an enrollment check).
  forwardAttributes: TRadiusAttribute[];
  upstreamState?: Buffer; // State of an upstream Access-Challenge being answered
  // MS-CHAPv2 (upstream RADIUS only): the NAS's MS-CHAP attributes are relayed instead of a User-Password.
  // serverId: only that upstream server is asked, with no failover (a password change goes where E=648 came from).
  mschap?: { attributes: TRadiusAttribute[]; serverId?: string };
  // EAP (802.1X, upstream RADIUS only): the NAS's EAP-Message attributes instead of a password. serverId: every round
  // after the first goes to the server that holds the conversation (its TLS tunnel), with no failover.
  eap?: { attributes: TRadiusAttribute[]; serverId?: string };
};

export type TPrimaryResult =
  // groups: directory group names (LDAP: each group's cn); groupDns: the full DNs, when the source has them.
  // identity: the account the primary authenticated, in its own spelling (LDAP: the entry's canonical attribute;
  // RADIUS: the User-Name of the Access-Accept; local: the stored username). Absent: the primary did not say.
  // mschap: the MS-CHAPv2 part of an upstream answer to a relayed MS-CHAPv2 request; serverId: the server that answered.
  | { outcome: "accept"; attributes: TRadiusAttribute[]; groups: string[]; groupDns?: string[]; identity?: string; ms: number; server?: string; serverId?: string; mschap?: TMschapReply }
  | { outcome: "reject"; replyMessage?: string; ms: number; server?: string; serverId?: string; mschap?: TMschapReply }
  | { outcome: "challenge"; attributes: TRadiusAttribute[]; state: Buffer; replyMessage?: string; ms: number; server?: string; serverId?: string }
  | { outcome: "timeout"; ms: number; detail: string }
  | { outcome: "error"; ms: number; detail: string };
