import { describe, expect, it } from "vitest";
import { readServerEnv } from "../env/server-env";
import { ZSiemTargetsSchema } from "./siem-target-schema";

const issues = (text: string) => {
  const parsed = ZSiemTargetsSchema.safeParse(text);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
};

describe("TWOFOLD_SIEM_TARGETS", () => {
  it("parses udp, tcp, tls (default ports 514/514/6514), IPv6 and file targets, each keyed for its cursor", () => {
    expect(ZSiemTargetsSchema.parse(" udp://siem.corp , tcp://10.0.0.5:1514,tls://[::1],file:///var/log/twofold/events.jsonl")).toEqual([
      { kind: "udp", host: "siem.corp", port: 514, key: "udp://siem.corp:514" },
      { kind: "tcp", host: "10.0.0.5", port: 1514, key: "tcp://10.0.0.5:1514" },
      { kind: "tls", host: "::1", port: 6514, key: "tls://[::1]:6514" },
      { kind: "file", path: "/var/log/twofold/events.jsonl", key: "file:///var/log/twofold/events.jsonl" },
    ]);
    expect(ZSiemTargetsSchema.parse("")).toEqual([]);
    expect(ZSiemTargetsSchema.parse(undefined)).toEqual([]);
  });

  it("refuses what would ship nowhere or somewhere unintended", () => {
    expect(issues("http://siem:514")[0]).toMatch(/unknown scheme/);
    expect(issues("tcp://:514")[0]).toBeDefined();
    expect(issues("tcp://siem:99999")[0]).toBeDefined();
    expect(issues("tcp://user:pw@siem:514")[0]).toMatch(/credentials/);
    expect(issues("tcp://siem:514/path")[0]).toMatch(/no path/);
    expect(issues("tcp://siem:514?x=1")[0]).toMatch(/no query/);
    expect(issues("file://host/var/log/x")[0]).toMatch(/no host/);
    expect(issues("file:///var/log/")[0]).toMatch(/absolute\/path to a file/);
    expect(issues("file:///var/log/%00x")[0]).toMatch(/absolute\/path/);
    expect(issues("siem:514")[0]).toBeDefined();
    expect(issues("tcp://siem:514,tcp://SIEM:514")[0]).toMatch(/listed twice/); // hosts are case-insensitive
    expect(issues("udp://siem,udp://siem:514")[0]).toMatch(/listed twice/);
    expect(issues("tcp://si em:514")[0]).toBeDefined();
    expect(issues("tcp://siem\u0000:514")[0]).toBeDefined();
  });

  it("is validated with the rest of the worker's environment, with the facility and log level", () => {
    expect(() => readServerEnv({ TWOFOLD_SIEM_TARGETS: "ftp://x" })).toThrow(/TWOFOLD_SIEM_TARGETS: ftp:\/\/x: unknown scheme/);
    expect(() => readServerEnv({ TWOFOLD_SIEM_FACILITY: "local9" })).toThrow(/TWOFOLD_SIEM_FACILITY/);
    expect(() => readServerEnv({ TWOFOLD_LOG_LEVEL: "verbose" })).toThrow(/TWOFOLD_LOG_LEVEL/);
    const env = readServerEnv({ TWOFOLD_SIEM_TARGETS: "tls://siem:6514", TWOFOLD_SIEM_FACILITY: "local3", TWOFOLD_LOG_LEVEL: "debug" });
    expect(env.TWOFOLD_SIEM_TARGETS[0]?.kind).toBe("tls");
    expect(env.TWOFOLD_SIEM_FACILITY).toBe("local3");
    expect(readServerEnv({}).TWOFOLD_SIEM_FACILITY).toBe("authpriv");
    expect(readServerEnv({}).TWOFOLD_LOG_LEVEL).toBe("info");
  });
});
