import { describe, expect, it } from "vitest";
import { longestPrefixMatch, parseCidr, type TCidr } from "../net/cidr";
import { findAddressOverlaps, overlapsOfClient, type TClientAddress } from "./find-address-overlaps";

const client = (id: string, address: string): TClientAddress => ({ id, name: `client-${id}`, address });

// The worker's own matcher, over the same rows: whatever the warning says must be what a packet gets.
const winner = (clients: TClientAddress[], ip: string) => {
  const entries = clients.flatMap((entry) => {
    const cidr: TCidr | { error: string } = parseCidr(entry.address);
    return "error" in cidr ? [] : [{ key: entry.id, cidr }];
  });
  return longestPrefixMatch(entries, ip)?.key;
};

describe("findAddressOverlaps", () => {
  it("IPv4: a host inside a /24 inside a /16, the narrower named as the winner for its exact range", () => {
    const clients = [client("wide", "10.0.0.0/16"), client("lan", "10.0.5.0/24"), client("asa", "10.0.5.7"), client("other", "192.168.0.0/16")];
    const overlaps = findAddressOverlaps({ clients });
    expect(overlaps.map((overlap) => [overlap.narrower.id, overlap.broader.id, overlap.narrower.first, overlap.narrower.last])).toEqual([
      ["asa", "lan", "10.0.5.7", "10.0.5.7"],
      ["asa", "wide", "10.0.5.7", "10.0.5.7"],
      ["lan", "wide", "10.0.5.0", "10.0.5.255"],
    ]);
    expect(overlaps[2]?.message).toBe(
      '"client-lan" (10.0.5.0/24) is inside "client-wide" (10.0.0.0/16): the most specific prefix wins, so "client-lan" answers 10.0.5.0–10.0.5.255 with its own secret and application, and "client-wide" only the rest of 10.0.0.0/16.',
    );
    expect([winner(clients, "10.0.5.7"), winner(clients, "10.0.5.8"), winner(clients, "10.0.6.1"), winner(clients, "10.1.0.1")]).toEqual(["asa", "lan", "wide", undefined]);
    expect(overlapsOfClient(overlaps, "other")).toEqual([]);
    expect(overlapsOfClient(overlaps, "lan").map((overlap) => overlap.narrower.id)).toEqual(["asa", "lan"]);
  });

  it("IPv6: nested prefixes with RFC 5952 ranges, a /0 catch-all, and no overlap across families or between siblings", () => {
    const clients = [client("site", "2001:db8::/32"), client("pop", "2001:db8:ab00::/40"), client("any6", "::/0"), client("v4", "0.0.0.0/0"), client("sib", "2001:db9::/32")];
    const overlaps = findAddressOverlaps({ clients });
    expect(overlaps.map((overlap) => `${overlap.narrower.id}<${overlap.broader.id} ${overlap.narrower.first} ${overlap.narrower.last}`)).toEqual([
      "pop<any6 2001:db8:ab00:: 2001:db8:abff:ffff:ffff:ffff:ffff:ffff",
      "pop<site 2001:db8:ab00:: 2001:db8:abff:ffff:ffff:ffff:ffff:ffff",
      "sib<any6 2001:db9:: 2001:db9:ffff:ffff:ffff:ffff:ffff:ffff",
      "site<any6 2001:db8:: 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
    ]);
    expect([winner(clients, "2001:db8:ab12::1"), winner(clients, "2001:db8:1::1"), winner(clients, "2001:dead::1"), winner(clients, "::ffff:10.0.0.1")]).toEqual(["pop", "site", "any6", "v4"]);
  });

  it("ignores identical prefixes (refused on save), unparsable rows and a client compared with itself", () => {
    expect(findAddressOverlaps({ clients: [client("a", "10.0.0.0/24"), client("b", "10.0.0.0/24"), client("c", "not an address"), client("d", "2001:db8::1")] })).toEqual([]);
  });
});
