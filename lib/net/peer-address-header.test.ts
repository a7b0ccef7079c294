import { createServer, request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PEER_ADDRESS_HEADER, PEER_ADDRESS_MARKER_ENV, readPeerAddress, stampPeerAddress } from "./peer-address-header";

// The same stamping scripts/serve-console.ts does, in front of a handler that reports what the app would see.
const copies = (rawHeaders: string[]) => rawHeaders.filter((name, index) => index % 2 === 0 && name.toLowerCase() === PEER_ADDRESS_HEADER).length;
const server = createServer((request, response) => {
  const sent = copies(request.rawHeaders);
  stampPeerAddress(request);
  response.end(JSON.stringify({ sent, header: request.headers[PEER_ADDRESS_HEADER], rawCopies: copies(request.rawHeaders) }));
});
let port = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  port = typeof address === "object" && address ? address.port : 0;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

// Sent from 127.0.0.2 (any 127/8 source works on loopback), so the peer differs from anything a test could hard-code.
const send = (headers: Record<string, string | string[]>) =>
  new Promise<{ sent: number; header?: string; rawCopies: number }>((resolve, reject) => {
    const outgoing = httpRequest({ host: "127.0.0.1", port, localAddress: "127.0.0.2", path: "/", headers }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve(JSON.parse(body) as { sent: number; header?: string; rawCopies: number }));
    });
    outgoing.on("error", reject);
    outgoing.end();
  });

describe("the console server's peer-address header", () => {
  it("is the TCP peer, and every copy a client sent is dropped", async () => {
    expect(await send({})).toEqual({ sent: 0, header: "127.0.0.2", rawCopies: 1 });
    expect(await send({ "X-Twofold-Peer-Address": ["203.0.113.66", "198.51.100.1"] })).toEqual({ sent: 2, header: "127.0.0.2", rawCopies: 1 });
  });

  it("is believed only in a process started by that server", () => {
    expect(readPeerAddress({ header: "127.0.0.2", env: {} })).toBeUndefined();
    expect(readPeerAddress({ header: "127.0.0.2", env: { [PEER_ADDRESS_MARKER_ENV]: "1" } })).toBe("127.0.0.2");
  });
});
