import { spawn, type ChildProcess } from "node:child_process";

export type TWorkerHost = { child: ChildProcess; exited: Promise<number | null>; output: () => string };

// A worker host as an admin starts it (`node --import tsx worker/main.ts`, or another entry such as the built bundle),
// on loopback with every port chosen by the kernel and the CoA listeners and Duo API off unless `env` says otherwise.
// stdout and stderr are collected together, in order, for the test's regexes and failure messages.
export const spawnWorkerHost = (options: { dataDir: string; env?: Record<string, string>; args?: string[] }): TWorkerHost => {
  const child = spawn(process.execPath, options.args ?? ["--import", "tsx", "worker/main.ts"], {
    env: {
      ...process.env,
      TWOFOLD_RADIUS_HOST: "127.0.0.1",
      TWOFOLD_RADIUS_AUTH_PORT: "0",
      TWOFOLD_RADIUS_ACCT_PORT: "0",
      TWOFOLD_COA_PORTS: "",
      TWOFOLD_HEALTH_PORT: "0",
      TWOFOLD_API_PORT: "off",
      TWOFOLD_DATA_DIR: options.dataDir,
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { child, exited, output: () => output };
};
