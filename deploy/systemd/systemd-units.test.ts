import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT_BUNDLE_NOT_CURRENT } from "../../scripts/build-worker.mjs";

const HERE = import.meta.dirname;
const ROOT = path.resolve(HERE, "../..");
const UNITS = ["twofold-console.service", "twofold-worker@.service"];
const scratch = mkdtempSync(path.join(tmpdir(), "twofold-units-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// systemd's own checker on a copy whose /opt/twofold is this checkout (verify insists that ExecStart exists). It exits
// 0 on a misspelt key or an unparsable value and only says so, so any line naming our file is a failure too.
const verify = (name: string, text: string): string[] => {
  const dir = mkdtempSync(path.join(scratch, "u-"));
  writeFileSync(path.join(dir, name), text.replaceAll("/opt/twofold", ROOT));
  const target = path.join(dir, name.replace("@.service", "@1.service"));
  const run = spawnSync("systemd-analyze", ["verify", "--man=no", target], { encoding: "utf8" });
  const complaints = `${run.stdout}\n${run.stderr}`.split("\n").filter((line) => line.includes(dir) || line.includes(name.replace("@.service", "@")));
  return run.status === 0 ? complaints : [`exit ${run.status}`, ...complaints];
};

// Directives as systemd reads them: later lines of a key add to (or, empty, reset) the earlier ones.
const directives = (text: string): Map<string, string[]> => {
  const found = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (match?.[1]) found.set(match[1], [...(found.get(match[1]) ?? []), match[2] ?? ""]);
  }
  return found;
};

describe("systemd units", () => {
  for (const name of UNITS) {
    const text = readFileSync(path.join(HERE, name), "utf8");

    it(`${name}: systemd-analyze verify has nothing to say`, () => {
      expect(verify(name, text)).toEqual([]);
    });

    it(`${name}: hardened, no root, no capability, key as a credential, state only in its own folder`, () => {
      const unit = directives(text);
      for (const [key, value] of Object.entries({ DynamicUser: "yes", ProtectSystem: "strict", NoNewPrivileges: "yes", ProtectHome: "yes", PrivateTmp: "yes", CapabilityBoundingSet: "", AmbientCapabilities: "" })) {
        expect(unit.get(key), key).toEqual([value]);
      }
      expect(unit.get("EnvironmentFile")?.[0]).toBe("/etc/twofold/twofold.env");
      expect(unit.get("LoadCredential")).toEqual(["secret.key:/etc/twofold/secret.key"]);
      expect(unit.get("Environment")).toContain("TWOFOLD_SECRET_KEY_FILE=%d/secret.key");
      expect(unit.get("StateDirectory")?.[0]).toMatch(/^twofold\/(console|worker-%i)$/);
      expect(unit.get("ExecStart")?.[0]).toMatch(/^\/opt\/twofold\/deploy\/bin\/twofold-service (console -H 127\.0\.0\.1|worker)$/);
      expect(unit.has("User"), "DynamicUser, not a fixed account").toBe(false);
      expect(unit.has("MemoryDenyWriteExecute"), "V8's JIT needs W+X pages").toBe(false);
      expect(text).not.toMatch(/TWOFOLD_SECRET_KEY=/);
    });
  }

  it("worker instances are separate: own env file, data folder and id per instance", () => {
    const unit = directives(readFileSync(path.join(HERE, "twofold-worker@.service"), "utf8"));
    expect(unit.get("EnvironmentFile")).toEqual(["/etc/twofold/twofold.env", "-/etc/twofold/worker-%i.env"]);
    expect(unit.get("Environment")?.[0]).toContain("TWOFOLD_DATA_DIR=/var/lib/twofold/worker-%i");
    expect(unit.get("Environment")?.[0]).toContain("TWOFOLD_WORKER_ID=%H-%i");
  });

  it("the worker runs the built bundle and is not restarted into a refusal to run a stale one (exit 78)", () => {
    const unit = directives(readFileSync(path.join(HERE, "twofold-worker@.service"), "utf8"));
    // deploy/bin/twofold-service worker: `build-worker.mjs --check`, then `node dist/worker/main.js`; never a build,
    // which ProtectSystem=strict would refuse.
    const entry = readFileSync(path.join(ROOT, "deploy/bin/twofold-service"), "utf8");
    expect(entry).toMatch(/node scripts\/build-worker\.mjs --check/);
    expect(entry).toMatch(/exec node dist\/worker\/main\.js/);
    expect(entry).not.toMatch(/build-worker\.mjs --run/);
    expect(unit.get("RestartPreventExitStatus")).toEqual([String(EXIT_BUNDLE_NOT_CURRENT)]);
    expect(unit.get("Restart")).toEqual(["on-failure"]);
  });

  it("the check itself catches a misspelt key, a bad value, a bad specifier and a missing program", () => {
    const text = readFileSync(path.join(HERE, "twofold-console.service"), "utf8");
    const broken = [
      text.replace(/^NoNewPrivileges=yes$/m, "NoNewPrivilegs=yes"),
      text.replace(/^ProtectSystem=strict$/m, "ProtectSystem=strictt"),
      text.replace(/^Environment=TWOFOLD_SECRET_KEY_FILE=%d/m, "Environment=TWOFOLD_SECRET_KEY_FILE=%Q"),
      text.replace(/^ExecStart=\/opt\/twofold\/deploy\/bin\/twofold-service/m, "ExecStart=/opt/twofold/deploy/bin/missing"),
    ];
    for (const unit of broken) {
      expect(unit).not.toBe(text);
      expect(verify("twofold-console.service", unit)).not.toEqual([]);
    }
  });
});
