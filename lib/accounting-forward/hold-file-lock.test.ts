import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { holdFileLock } from "./hold-file-lock";

const dir = mkdtempSync(path.join(tmpdir(), "twofold-file-lock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("an exclusive file lock held for a process's life", () => {
  it("is held by one at a time: refused at once, or taken when the holder lets go", async () => {
    const file = path.join(dir, "one.lock");
    const first = await holdFileLock({ file });
    expect(first.ok).toBe(true);
    expect(await holdFileLock({ file })).toMatchObject({ ok: false, reason: "held" });
    const waiting = holdFileLock({ file, waitMs: 10_000 });
    if (first.ok) await first.lock.release();
    const second = await waiting;
    expect(second.ok && second.lock.held()).toBe(true);
    if (second.ok) await second.lock.release();
  });

  it("goes when its holder is killed, whatever the signal", async () => {
    const file = path.join(dir, "killed.lock");
    // Another process takes it (through this module) and is SIGKILLed: nothing of it can run, the kernel lets go.
    const script = `import { holdFileLock } from ${JSON.stringify(path.resolve(__dirname, "hold-file-lock.ts"))};
const held = await holdFileLock({ file: ${JSON.stringify(file)} });
console.log(held.ok ? "held" : "refused");
setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    const said = await new Promise<string>((resolve) => child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim())));
    expect(said).toBe("held");
    expect(await holdFileLock({ file })).toMatchObject({ ok: false, reason: "held" });
    child.kill("SIGKILL");
    const taken = await holdFileLock({ file, waitMs: 10_000 });
    expect(taken.ok).toBe(true);
    if (taken.ok) await taken.lock.release();
  });

  it("says so when no flock(1) can be run", async () => {
    const saved = process.env.PATH;
    process.env.PATH = dir;
    try {
      expect(await holdFileLock({ file: path.join(dir, "none.lock") })).toMatchObject({ ok: false, reason: "unavailable" });
    } finally {
      process.env.PATH = saved;
    }
  });
});
