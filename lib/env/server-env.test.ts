import { describe, expect, it } from "vitest";
import { readServerEnv, readTrustedProxies } from "./server-env";

describe("server environment", () => {
  it("health on loopback and no trusted proxies by default", () => {
    const env = readServerEnv({});
    expect(env.TWOFOLD_HEALTH_HOST).toBe("127.0.0.1");
    expect(env.TWOFOLD_TRUSTED_PROXIES).toEqual([]);
    expect(readTrustedProxies({})).toEqual([]);
  });

  it("reads a comma-separated list of proxy addresses and networks", () => {
    const proxies = readTrustedProxies({ TWOFOLD_TRUSTED_PROXIES: " 10.0.0.5, 10.1.0.0/16,2001:db8::/32 " });
    expect(proxies.map((cidr) => cidr.text)).toEqual(["10.0.0.5", "10.1.0.0/16", "2001:db8::/32"]);
    expect(readServerEnv({ TWOFOLD_HEALTH_HOST: "0.0.0.0" }).TWOFOLD_HEALTH_HOST).toBe("0.0.0.0");
  });

  it("refuses a malformed entry instead of trusting less or more than was meant", () => {
    expect(() => readTrustedProxies({ TWOFOLD_TRUSTED_PROXIES: "10.0.0.1/8" })).toThrow(/Host bits are set/);
    expect(() => readServerEnv({ TWOFOLD_TRUSTED_PROXIES: "proxy.example" })).toThrow(/TWOFOLD_TRUSTED_PROXIES/);
    expect(() => readServerEnv({ TWOFOLD_HEALTH_HOST: "" })).toThrow(/TWOFOLD_HEALTH_HOST/);
  });
});
