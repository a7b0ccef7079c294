import { describe, expect, it } from "vitest";
import { cidrContains, longestPrefixMatch, parseCidr, type TCidr } from "./cidr";

const cidr = (text: string): TCidr => {
  const parsed = parseCidr(text);
  if ("error" in parsed) throw new Error(parsed.error);
  return parsed;
};

describe("parseCidr", () => {
  it("accepts hosts and networks in both families", () => {
    expect(cidr("10.0.0.1").prefix).toBe(32);
    expect(cidr("10.0.0.0/8").prefix).toBe(8);
    expect(cidr("2001:db8::/32").family).toBe(6);
    expect(cidr("::1").prefix).toBe(128);
  });

  it("rejects garbage, bad prefixes and host bits under the prefix", () => {
    expect(parseCidr("10.0.0.256")).toHaveProperty("error");
    expect(parseCidr("asa.example")).toHaveProperty("error");
    expect(parseCidr("10.0.0.0/33")).toHaveProperty("error");
    expect(parseCidr("10.0.0.0/x")).toHaveProperty("error");
    expect(parseCidr("10.0.0.1/24")).toHaveProperty("error");
    expect(parseCidr("10.0.0.0/8/1")).toHaveProperty("error");
  });
});

describe("matching", () => {
  it("contains addresses of the same family only, including IPv4-mapped IPv6", () => {
    expect(cidrContains(cidr("192.168.1.0/24"), "192.168.1.77")).toBe(true);
    expect(cidrContains(cidr("192.168.1.0/24"), "::ffff:192.168.1.77")).toBe(true);
    expect(cidrContains(cidr("192.168.1.0/24"), "192.168.2.1")).toBe(false);
    expect(cidrContains(cidr("2001:db8::/32"), "2001:db8:1::5")).toBe(true);
    expect(cidrContains(cidr("0.0.0.0/0"), "::1")).toBe(false);
  });

  it("picks the most specific prefix, deterministically on ties", () => {
    const entries = [
      { key: "b", cidr: cidr("10.0.0.0/8") },
      { key: "c", cidr: cidr("10.1.0.0/16") },
      { key: "a", cidr: cidr("10.1.0.0/16") },
    ];
    expect(longestPrefixMatch(entries, "10.1.2.3")?.key).toBe("a");
    expect(longestPrefixMatch(entries, "10.2.2.3")?.key).toBe("b");
    expect(longestPrefixMatch(entries, "11.0.0.1")).toBeUndefined();
  });
});
