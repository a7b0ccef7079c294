import { spawnSync } from "node:child_process";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./create-logger";
import { lineLevel, lineLog } from "./line-log";

const capture = () => {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  return { destination, lines, json: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
};

describe("createLogger", () => {
  it("writes one JSON object per line with the level, name, base fields and message", () => {
    const out = capture();
    const logger = createLogger({ name: "worker", level: "info", base: { workerId: "w-1" }, destination: out.destination });
    logger.info({ client: "asa", user: "alice", reason: "valid_passcode", ms: 12 }, "access-request answered");
    logger.debug("not at info");
    expect(out.lines).toHaveLength(1);
    expect(out.json()[0]).toMatchObject({ level: 30, name: "worker", workerId: "w-1", client: "asa", user: "alice", reason: "valid_passcode", ms: 12, msg: "access-request answered" });
  });

  it("never writes a password, secret, token or passcode, however deep", () => {
    const out = capture();
    const logger = createLogger({ name: "worker", level: "info", destination: out.destination });
    logger.info({ password: "hunter2", secret: "s3cr3t", request: { password: "p", skey: "k", passcode: "123456", "User-Password": "up" } }, "x");
    expect(out.lines[0]).not.toMatch(/hunter2|s3cr3t|"p"|123456|"up"|"k"/);
    expect(out.json()[0]).toMatchObject({ password: "[redacted]", request: { password: "[redacted]", passcode: "[redacted]" } });
  });

  it("takes its level from TWOFOLD_LOG_LEVEL, and stays on info for an unknown value", () => {
    const previous = process.env.TWOFOLD_LOG_LEVEL;
    try {
      process.env.TWOFOLD_LOG_LEVEL = "debug";
      expect(createLogger({ name: "t", destination: capture().destination }).level).toBe("debug");
      process.env.TWOFOLD_LOG_LEVEL = "DEBUG\n";
      expect(createLogger({ name: "t", destination: capture().destination }).level).toBe("info");
      delete process.env.TWOFOLD_LOG_LEVEL;
      expect(createLogger({ name: "t", destination: capture().destination }).level).toBe("info");
    } finally {
      if (previous === undefined) delete process.env.TWOFOLD_LOG_LEVEL;
      else process.env.TWOFOLD_LOG_LEVEL = previous;
    }
  });

  it("keeps a hostile message on one line: control bytes, CR/LF, lone surrogates are escaped", () => {
    const out = capture();
    const logger = createLogger({ name: "worker", level: "info", destination: out.destination });
    logger.info(`dropped from 1.2.3.4: user "a\r\n{\"level\":60}\u0000\ud800"`);
    expect(out.lines).toHaveLength(1);
    expect(out.json()[0]?.msg).toContain("\r\n{");
  });
});

describe("createLogger in a terminal", () => {
  // util-linux `script` gives the child a pseudo-terminal, as `npm start` typed by an admin has.
  const run = (tty: boolean) => {
    const code = `import("./lib/log/create-logger.ts").then(({ createLogger }) => createLogger({ name: "worker" }).info({ user: "alice" }, "hello"))`;
    const command = [process.execPath, "--import", "tsx", "-e", code];
    const result = tty
      ? spawnSync("script", ["-qfec", command.map((part) => `'${part.replace(/'/g, "'\\''")}'`).join(" "), "/dev/null"], { encoding: "utf8", env: { ...process.env, TWOFOLD_LOG_LEVEL: "info" } })
      : spawnSync(command[0] ?? "node", command.slice(1), { encoding: "utf8", env: { ...process.env, TWOFOLD_LOG_LEVEL: "info" } });
    return result.stdout;
  };

  it("prints human-readable lines to a terminal and JSON to a pipe", () => {
    const pretty = run(true);
    expect(pretty).toMatch(/INFO.*\(worker\).*hello/);
    expect(pretty.trim().startsWith("{")).toBe(false);
    expect(JSON.parse(run(false))).toMatchObject({ level: 30, name: "worker", user: "alice", msg: "hello" });
  });
});

describe("lineLog", () => {
  it("sends failure lines at warn and progress at info, so TWOFOLD_LOG_LEVEL=warn keeps the failures", () => {
    expect(lineLevel("database pool: connection refused")).toBe("warn");
    expect(lineLevel("failed to start: boom")).toBe("warn");
    expect(lineLevel("dropped bad_authenticator from 10.0.0.1:4000: x")).toBe("warn");
    expect(lineLevel("w1 serving RADIUS on 0.0.0.0:1812 (auth)")).toBe("info");
    const out = capture();
    const log = lineLog(createLogger({ name: "worker", level: "warn", destination: out.destination }));
    log("config version 3");
    log("SIEM tcp://siem:514: delivery failed (ECONNREFUSED); retrying in 1 s, nothing is skipped");
    expect(out.json().map((line) => line.level)).toEqual([40]);
  });
});
