import { createServer, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { freePort } from "../testing/free-port";
import { createDatabaseProbe } from "./create-database-probe";

const url = () => {
  const value = process.env.DATABASE_URL;
  if (!value) throw new Error("DATABASE_URL is not set");
  return value;
};

describe("createDatabaseProbe", () => {
  it("the run's PostgreSQL is reachable; so is one that refuses the session itself (no such database)", async () => {
    expect(await createDatabaseProbe({ databaseUrl: url() })()).toBe("reachable");
    const missing = new URL(url());
    missing.pathname = "/no_such_database_here";
    expect(await createDatabaseProbe({ databaseUrl: missing.toString() })()).toBe("reachable");
  });

  it("a closed port is unreachable", async () => {
    expect(await createDatabaseProbe({ databaseUrl: `postgresql://x:y@127.0.0.1:${await freePort()}/twofold` })()).toBe("unreachable");
  });

  it("a server that accepts TCP but never completes the PostgreSQL handshake is unreachable within the bound", async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const address = silent.address();
    try {
      const port = typeof address === "object" && address ? address.port : 0;
      expect(await createDatabaseProbe({ databaseUrl: `postgresql://x:y@127.0.0.1:${port}/twofold`, connectTimeoutMs: 300 })()).toBe("unreachable");
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it("callers in the same moment share one attempt", async () => {
    let connections = 0;
    const counting = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => counting.listen(0, "127.0.0.1", resolve));
    const address = counting.address();
    try {
      const port = typeof address === "object" && address ? address.port : 0;
      const probe = createDatabaseProbe({ databaseUrl: `postgresql://x:y@127.0.0.1:${port}/twofold`, reuseMs: 60_000 });
      const answers = await Promise.all(Array.from({ length: 20 }, () => probe()));
      expect(new Set(answers)).toEqual(new Set(["unreachable"]));
      expect(await probe()).toBe("unreachable");
      expect(connections).toBe(1);
    } finally {
      counting.close();
    }
  });
});
