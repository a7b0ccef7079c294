import type { TDropReason } from "./parse-packet";

// What each drop reason (lib/radius/parse-packet.ts) usually means, in the words the console shows beside the code
// (the dashboard's worker health, a RADIUS client's page). Keyed by the type, so a reason added without its label
// does not compile.
export const DROP_REASON_TEXT: Record<TDropReason, string> = {
  bad_length: "Not a RADIUS packet, or a truncated one: its length is wrong.",
  bad_attributes: "Malformed attributes (truncated, invalid, or a repeated Message-Authenticator).",
  bad_code: "A packet type this port does not take (e.g. accounting sent to the authentication port).",
  unknown_client: "From an address that matches no RADIUS client.",
  bad_message_authenticator: "Wrong shared secret: the Message-Authenticator does not verify (or another client with the same address takes its requests).",
  missing_message_authenticator: "No Message-Authenticator, which this client requires (EAP requests always need one): the device does not send it.",
  bad_authenticator: "Wrong shared secret: the Request Authenticator of an accounting or CoA packet does not verify.",
  bad_password: "The User-Password could not be decrypted (malformed, or a wrong shared secret).",
  no_application: "The RADIUS client has no application attached.",
  overloaded: "The worker was overloaded and shed the request.",
  stale_event_timestamp: "A CoA or Disconnect request whose Event-Timestamp is too far from this server's clock (replayed, or a clock off).",
  replayed_request: "A CoA or Disconnect request seen before: a replay, refused.",
};

// A code this version does not know (an older or newer worker's heartbeat) is shown as is.
export const describeDropReason = (reason: string): string =>
  Object.hasOwn(DROP_REASON_TEXT, reason) ? DROP_REASON_TEXT[reason as TDropReason] : `Unknown drop reason "${reason}".`;
