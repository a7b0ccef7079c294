import { describe, expect, it } from "vitest";
import { parseCidr, type TCidr } from "./cidr";
import { resolveClientAddress } from "./resolve-client-address";

const cidrs = (...items: string[]): TCidr[] =>
  items.map((item) => {
    const parsed = parseCidr(item);
    if ("error" in parsed) throw new Error(parsed.error);
    return parsed;
  });

describe("resolveClientAddress", () => {
  it("with no trusted proxies the socket peer is the client, whatever X-Forwarded-For claims", () => {
    expect(resolveClientAddress({ peerAddress: "198.51.100.9", forwardedFor: "10.9.9.9", trustedProxies: [] })).toBe("198.51.100.9");
    expect(resolveClientAddress({ peerAddress: "::ffff:198.51.100.9", forwardedFor: undefined, trustedProxies: [] })).toBe("198.51.100.9");
  });

  it("a spoofed header from a peer that is not a trusted proxy is ignored", () => {
    const trustedProxies = cidrs("10.0.0.0/8");
    expect(resolveClientAddress({ peerAddress: "203.0.113.50", forwardedFor: "10.0.0.1, 192.0.2.1", trustedProxies })).toBe("203.0.113.50");
  });

  it("through a trusted proxy the client is the hop it reports", () => {
    expect(resolveClientAddress({ peerAddress: "10.0.0.2", forwardedFor: "203.0.113.7", trustedProxies: cidrs("10.0.0.2") })).toBe("203.0.113.7");
  });

  it("a chain is walked right to left and stops at the first hop not trusted: what the client wrote to the left is ignored", () => {
    const trustedProxies = cidrs("10.0.0.0/24", "2001:db8::/32");
    // The client sent "X-Forwarded-For: 1.1.1.1"; the edge proxy appended the client, the inner proxy appended the edge.
    expect(resolveClientAddress({ peerAddress: "10.0.0.3", forwardedFor: "1.1.1.1, 203.0.113.7, 10.0.0.1", trustedProxies })).toBe("203.0.113.7");
    expect(resolveClientAddress({ peerAddress: "2001:db8::5", forwardedFor: "1.1.1.1, [2001:db8::9]:443, 203.0.113.8:5120", trustedProxies })).toBe("203.0.113.8");
  });

  it("a malformed hop ends the walk at the last address a trusted proxy vouched for", () => {
    const trustedProxies = cidrs("10.0.0.0/24");
    expect(resolveClientAddress({ peerAddress: "10.0.0.3", forwardedFor: "203.0.113.7, not-an-ip", trustedProxies })).toBe("10.0.0.3");
    expect(resolveClientAddress({ peerAddress: "10.0.0.3", forwardedFor: "garbage, 10.0.0.1", trustedProxies })).toBe("10.0.0.1");
  });

  it("when every hop is trusted the leftmost one is the client; no peer means no address", () => {
    expect(resolveClientAddress({ peerAddress: "10.0.0.3", forwardedFor: "10.0.0.8, 10.0.0.1", trustedProxies: cidrs("10.0.0.0/24") })).toBe("10.0.0.8");
    expect(resolveClientAddress({ peerAddress: undefined, forwardedFor: "203.0.113.7", trustedProxies: cidrs("0.0.0.0/0") })).toBeUndefined();
    expect(resolveClientAddress({ peerAddress: "", forwardedFor: "203.0.113.7", trustedProxies: cidrs("0.0.0.0/0") })).toBeUndefined();
  });
});
