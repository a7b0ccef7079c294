import { spawn } from "node:child_process";
import type { Socket } from "node:net";

export type TFileLock = { held: () => boolean; release: () => Promise<void> };
export type THoldFileLockResult = { ok: true; lock: TFileLock } | { ok: false; reason: "held" | "unavailable"; detail: string };

const BUSY_EXIT = 75;

// An exclusive flock(2) on `file`, for as long as this process wants it and not a moment longer: Node has no flock,
// so util-linux's flock(1) takes it and runs `cat` on a pipe from this process while holding it. `cat` ends when the
// pipe closes — on release, and when this process dies however it dies (the kernel closes the pipe) — and the lock
// goes with it, so a crashed worker never leaves a lock behind and a live one is never taken for dead (unlike a
// pid file). The child is its own process group, so a Ctrl-C meant for the worker's terminal does not end it first.
// `waitMs` waits for a holder to let go; without it the answer is immediate. "unavailable": no flock(1) here.
export const holdFileLock = (options: { file: string; waitMs?: number; onLost?: (detail: string) => void }): Promise<THoldFileLockResult> =>
  new Promise((resolve) => {
    const wait = options.waitMs ? ["-w", String(options.waitMs / 1000)] : ["-n"];
    const child = spawn("flock", [...wait, "-E", String(BUSY_EXIT), options.file, "cat"], { stdio: ["pipe", "pipe", "pipe"], detached: true });
    let state: "waiting" | "held" | "released" = "waiting";
    let exited = false;
    let stderr = "";
    const exit = new Promise<void>((resolveExit) => child.once("close", () => resolveExit()));
    // While the lock is merely held, the child is never what keeps this process alive; while it is being taken or
    // given back, it is, so the answer comes.
    const keepAlive = (on: boolean) => {
      const handles: { ref: () => unknown; unref: () => unknown }[] = [child, ...([child.stdin, child.stdout, child.stderr] as unknown as Socket[])];
      for (const handle of handles) {
        if (on) handle.ref();
        else handle.unref();
      }
    };
    const lock: TFileLock = {
      held: () => state === "held",
      release: async () => {
        if (state === "held") state = "released";
        if (!exited) keepAlive(true);
        child.stdin.end();
        if (!exited) await exit;
      },
    };
    child.stderr.on("data", (chunk: Buffer) => (stderr = `${stderr}${chunk.toString("utf8")}`.slice(-500)));
    child.stdin.on("error", () => {}); // EPIPE: flock refused and exited before reading
    child.stdout.once("data", () => {
      if (state !== "waiting") return;
      state = "held";
      keepAlive(false);
      resolve({ ok: true, lock });
    });
    child.once("error", (error) => {
      if (state !== "waiting") return;
      state = "released";
      resolve({ ok: false, reason: "unavailable", detail: `flock(1): ${error.message}` });
    });
    child.once("close", (code, signal) => {
      exited = true;
      if (state === "waiting") {
        state = "released";
        resolve(code === BUSY_EXIT ? { ok: false, reason: "held", detail: `${options.file} is locked by another process` } : { ok: false, reason: "unavailable", detail: `flock(1) exited ${code ?? signal}: ${stderr.trim()}` });
      } else if (state === "held") {
        state = "released";
        options.onLost?.(`flock(1) holding ${options.file} exited ${code ?? signal}`);
      }
    });
    // What `cat` echoes says the lock is taken.
    child.stdin.write("locked\n");
  });
