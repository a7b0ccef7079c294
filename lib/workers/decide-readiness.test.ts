import { expect, it } from "vitest";
import { decideReadiness } from "./decide-readiness";

it("is 503 before the first snapshot, 200 ready with the database, 200 degraded from the snapshot without it", () => {
  expect(decideReadiness({ configVersion: undefined, database: "reachable" })).toMatchObject({ httpStatus: 503, body: { status: "starting", configVersion: null } });
  expect(decideReadiness({ configVersion: 4, database: "reachable" })).toMatchObject({ httpStatus: 200, body: { status: "ready", configVersion: 4 } });
  expect(decideReadiness({ configVersion: 4, database: "unreachable" })).toMatchObject({ httpStatus: 200, body: { status: "degraded", database: "unreachable", configVersion: 4 } });
  // Version 0 (an empty configuration) is a snapshot all the same.
  expect(decideReadiness({ configVersion: 0, database: "reachable" }).httpStatus).toBe(200);
});

it("the console, which has no snapshot, is not ready without its database", () => {
  expect(decideReadiness({ configVersion: undefined, database: "reachable", needsDatabase: true })).toMatchObject({ httpStatus: 200, body: { status: "ready" } });
  expect(decideReadiness({ configVersion: undefined, database: "unreachable", needsDatabase: true })).toMatchObject({ httpStatus: 503, body: { status: "degraded" } });
});
