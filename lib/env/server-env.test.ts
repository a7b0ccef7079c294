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

  it("listens for CoA on 1700 and 3799 unless told otherwise, and refuses a bad port list", () => {
    expect(readServerEnv({}).TWOFOLD_COA_PORTS).toEqual([1700, 3799]);
    expect(readServerEnv({ TWOFOLD_COA_PORTS: " 3799 " }).TWOFOLD_COA_PORTS).toEqual([3799]);
    expect(readServerEnv({ TWOFOLD_COA_PORTS: "" }).TWOFOLD_COA_PORTS).toEqual([]);
    expect(() => readServerEnv({ TWOFOLD_COA_PORTS: "1700,70000" })).toThrow(/TWOFOLD_COA_PORTS: 70000/);
    expect(() => readServerEnv({ TWOFOLD_COA_PORTS: "1700,coa" })).toThrow(/TWOFOLD_COA_PORTS/);
    expect(() => readServerEnv({ TWOFOLD_COA_PORTS: "1700,1700" })).toThrow(/listed twice/);
  });

  it("refuses a malformed entry instead of trusting less or more than was meant", () => {
    expect(() => readTrustedProxies({ TWOFOLD_TRUSTED_PROXIES: "10.0.0.1/8" })).toThrow(/Host bits are set/);
    expect(() => readServerEnv({ TWOFOLD_TRUSTED_PROXIES: "proxy.example" })).toThrow(/TWOFOLD_TRUSTED_PROXIES/);
    expect(() => readServerEnv({ TWOFOLD_HEALTH_HOST: "" })).toThrow(/TWOFOLD_HEALTH_HOST/);
  });

  it("worker processes: unset means one per core (decided by the worker), else a whole number from 1", () => {
    expect(readServerEnv({}).TWOFOLD_WORKER_PROCESSES).toBeUndefined();
    expect(readServerEnv({ TWOFOLD_WORKER_PROCESSES: "4" }).TWOFOLD_WORKER_PROCESSES).toBe(4);
    for (const bad of ["0", "-1", "1.5", "many", ""]) expect(() => readServerEnv({ TWOFOLD_WORKER_PROCESSES: bad })).toThrow(/TWOFOLD_WORKER_PROCESSES/);
  });
});
