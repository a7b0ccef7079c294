import { describe, expect, it, vi } from "vitest";
import { classifyDatabaseFailure, DatabaseTimeoutError } from "./classify-database-failure";
import type { TDatabaseReachability } from "./create-database-probe";

const probeSaying = (answer: TDatabaseReachability) => vi.fn(async () => answer);

// The shapes below are what pg, pg-pool and Prisma's pg adapter throw (captured against a real PostgreSQL).
const prismaWrapped = (code: string, cause: Record<string, unknown>) => Object.assign(new Error("Invalid `prisma.user.findUnique()` invocation"), { code, meta: { driverAdapterError: { name: "DriverAdapterError", cause } } });
const refused = prismaWrapped("P1001", { kind: "DatabaseNotReachable", host: "127.0.0.1", port: 1 });
const terminated = prismaWrapped("P2039", { originalCode: "57P01", kind: "postgres", code: "57P01", message: "terminating connection due to administrator command" });
const statementTimeout = prismaWrapped("P2010", { originalCode: "57014", kind: "postgres", code: "57014", message: "canceling statement due to statement timeout" });
const poolFull = new Error("timeout exceeded when trying to connect");
const socketRefused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED", errno: -111, syscall: "connect" });
const multiAddress = Object.assign(new AggregateError([socketRefused, socketRefused]), { code: "ECONNREFUSED" });

describe("classifyDatabaseFailure", () => {
  it("a connection-level failure is an outage only when a fresh connection fails too", async () => {
    for (const error of [refused, terminated, socketRefused, multiAddress, new DatabaseTimeoutError(500), new Error("Connection terminated unexpectedly")]) {
      expect(await classifyDatabaseFailure({ error, probe: probeSaying("unreachable") }), String(error)).toBe("unreachable");
      expect(await classifyDatabaseFailure({ error, probe: probeSaying("reachable") }), String(error)).toBe("error");
    }
  });

  it("a full pool, a statement timeout, too many clients are errors without asking the probe", async () => {
    const tooMany = prismaWrapped("P2037", { kind: "TooManyConnections", cause: "sorry, too many clients already" });
    for (const error of [poolFull, statementTimeout, tooMany, Object.assign(new Error("pool timeout"), { code: "P2024" })]) {
      const probe = probeSaying("unreachable");
      expect(await classifyDatabaseFailure({ error, probe }), String(error)).toBe("error");
      expect(probe).not.toHaveBeenCalled();
    }
  });

  it("anything else (a bug, a constraint) is an error; a probe that throws is an error", async () => {
    const probe = probeSaying("unreachable");
    expect(await classifyDatabaseFailure({ error: new TypeError("boom"), probe })).toBe("error");
    expect(await classifyDatabaseFailure({ error: prismaWrapped("P2002", { kind: "UniqueConstraintViolation" }), probe })).toBe("error");
    expect(await classifyDatabaseFailure({ error: "a string", probe })).toBe("error");
    expect(probe).not.toHaveBeenCalled();
    expect(await classifyDatabaseFailure({ error: refused, probe: () => Promise.reject(new Error("probe bug")) })).toBe("error");
  });
});
