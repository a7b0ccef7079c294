// RFC 2865/2866/5997 numbers the codec and the worker refer to by name.
export const RadiusCode = {
  AccessRequest: 1,
  AccessAccept: 2,
  AccessReject: 3,
  AccountingRequest: 4,
  AccountingResponse: 5,
  AccessChallenge: 11,
  StatusServer: 12,
  // RFC 5176 dynamic authorization (ISE → Twofold → NAS).
  DisconnectRequest: 40,
  DisconnectAck: 41,
  DisconnectNak: 42,
  CoaRequest: 43,
  CoaAck: 44,
  CoaNak: 45,
} as const;

// Requests whose Request Authenticator is an MD5 over the packet (RFC 2866 §3, RFC 5176 §2.3) and whose
// Message-Authenticator is computed with that field zeroed, unlike Access-Request's random one.
export const COMPUTED_AUTHENTICATOR_CODES: ReadonlySet<number> = new Set([RadiusCode.AccountingRequest, RadiusCode.DisconnectRequest, RadiusCode.CoaRequest]);

export const Attr = {
  UserName: 1,
  UserPassword: 2,
  NasIpAddress: 4,
  NasPort: 5,
  ServiceType: 6,
  FramedIpAddress: 8,
  FilterId: 11,
  ReplyMessage: 18,
  State: 24,
  Class: 25,
  VendorSpecific: 26,
  SessionTimeout: 27,
  CalledStationId: 30,
  CallingStationId: 31,
  NasIdentifier: 32,
  ProxyState: 33,
  AcctStatusType: 40,
  AcctDelayTime: 41,
  AcctSessionId: 44,
  EventTimestamp: 55,
  EapMessage: 79,
  MessageAuthenticator: 80,
  ErrorCause: 101,
} as const;

export const HEADER_LENGTH = 20;
export const MIN_PACKET_LENGTH = 20;
export const MAX_PACKET_LENGTH = 4096;
export const MAX_PASSWORD_LENGTH = 128;
