import { networkInterfaces } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestWorker } from "../lib/testing/start-test-worker";
import { startHealthServer } from "./health-server";
import { createIsolatedDatabase } from "./test-support/isolated-database";

// An address of this machine that is not loopback: what a host on the NAS's network would connect to.
const external = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry && entry.family === "IPv4" && !entry.internal)?.address;

const healthAt = async (host: string, port: number): Promise<number | "refused"> => {
  try {
    return (await fetch(`http://${host}:${port}/health`)).status;
  } catch {
    return "refused";
  }
};

describe("health endpoint binding", () => {
  it.skipIf(!external)("startHealthServer listens on loopback unless told otherwise", async () => {
    const quiet = await startHealthServer({ port: 0, body: () => ({ ok: true }) });
    const open = await startHealthServer({ host: "0.0.0.0", port: 0, body: () => ({ ok: true }) });
    try {
      expect(quiet.host).toBe("127.0.0.1");
      expect(await healthAt("127.0.0.1", quiet.port)).toBe(200);
      expect(await healthAt(external ?? "", quiet.port)).toBe("refused");
      // The control: the same probe does reach a server bound to every interface.
      expect(await healthAt(external ?? "", open.port)).toBe(200);
    } finally {
      await quiet.close();
      await open.close();
    }
  });
});

describe("worker health with RADIUS on every interface", () => {
  let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
  let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined;

  beforeAll(async () => {
    database = await createIsolatedDatabase();
    worker = await startTestWorker({ databaseUrl: database.url, host: "0.0.0.0", healthPort: 0 });
  }, 60_000);

  afterAll(async () => {
    await worker?.stop();
    await database?.drop();
  });

  it.skipIf(!external)("binds the health endpoint to 127.0.0.1 by default, not the RADIUS address", async () => {
    const port = worker?.healthPort ?? 0;
    expect(await healthAt("127.0.0.1", port)).toBe(200);
    expect(await healthAt(external ?? "", port)).toBe("refused");
  });
});
