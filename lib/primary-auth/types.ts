// The seam between the worker's request handling and primary authentication (upstream RADIUS, LDAP/AD, local, none).

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
  // Attributes from the NAS to carry upstream unchanged (e.g. State when answering an upstream challenge).
  forwardAttributes: TRadiusAttribute[];
  upstreamState?: Buffer; // State of an upstream Access-Challenge being answered
};

export type TPrimaryResult =
  // groups: directory group names (LDAP: each group's cn); groupDns: the full DNs, when the source has them.
  // identity: the account the primary authenticated, in its own spelling (LDAP: the entry's canonical attribute;
  // RADIUS: the User-Name of the Access-Accept; local: the stored username). Absent: the primary did not say.
  | { outcome: "accept"; attributes: TRadiusAttribute[]; groups: string[]; groupDns?: string[]; identity?: string; ms: number; server?: string }
  | { outcome: "reject"; replyMessage?: string; ms: number; server?: string }
  | { outcome: "challenge"; attributes: TRadiusAttribute[]; state: Buffer; replyMessage?: string; ms: number; server?: string }
  | { outcome: "timeout"; ms: number; detail: string }
  | { outcome: "error"; ms: number; detail: string };
