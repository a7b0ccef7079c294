import type { IncomingHttpHeaders } from "node:http";

// Next gives server actions and route handlers headers only, never the socket (NextRequest.ip is gone since Next 15,
// and Next fills X-Forwarded-For from the socket only when the client did not send one). So the console's own server
// (scripts/serve-console.ts) writes the TCP peer into this header, replacing any copy a client sent.
export const PEER_ADDRESS_HEADER = "x-twofold-peer-address";

// Set by that server in its own process only. Under a bare `next start` nobody strips the header, so it is ignored
// there: a client must never be able to pick the address it is throttled and audited under.
export const PEER_ADDRESS_MARKER_ENV = "TWOFOLD_INTERNAL_PEER_HEADER";

type TStampable = { headers: IncomingHttpHeaders; rawHeaders: string[]; socket: { remoteAddress?: string } };

export const stampPeerAddress = (request: TStampable): void => {
  delete request.headers[PEER_ADDRESS_HEADER];
  // rawHeaders is [name, value, name, value, …]; drop every client-sent copy, whatever its case.
  const kept: string[] = [];
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
    const name = request.rawHeaders[index] ?? "";
    if (name.toLowerCase() !== PEER_ADDRESS_HEADER) kept.push(name, request.rawHeaders[index + 1] ?? "");
  }
  request.rawHeaders.splice(0, request.rawHeaders.length, ...kept);
  const address = request.socket.remoteAddress;
  if (address) {
    request.headers[PEER_ADDRESS_HEADER] = address;
    request.rawHeaders.push(PEER_ADDRESS_HEADER, address);
  }
};

export const readPeerAddress = (options: { header: string | null | undefined; env?: Record<string, string | undefined> }): string | undefined =>
  (options.env ?? process.env)[PEER_ADDRESS_MARKER_ENV] === "1" ? (options.header ?? undefined) : undefined;
