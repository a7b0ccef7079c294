import type { ChildProcess } from "node:child_process";

// Servers spawned by tests must not outlive a crashed or interrupted test process (they would hold ports and keep
// running on a CI machine). Killed synchronously on exit; stop() removes them from the set first.
const children = new Set<ChildProcess>();
let hooked = false;

export const killOnExit = (child: ChildProcess): (() => void) => {
  if (!hooked) {
    hooked = true;
    process.once("exit", () => {
      for (const running of children) running.kill("SIGKILL");
    });
  }
  children.add(child);
  child.once("exit", () => children.delete(child));
  return () => children.delete(child);
};

// SIGTERM, then SIGKILL after 5 s; resolves once the process has exited.
export const stopChild = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
};
