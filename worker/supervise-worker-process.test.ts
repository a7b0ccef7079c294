import { describe, expect, it } from "vitest";
import { workerExecArgv } from "./supervise-worker-process";

// The heap flags every forked worker process gets (the multi-process run itself is in scripts/build-worker.test.ts).
describe("workerExecArgv", () => {
  it("adds the heap flags after the parent's own flags", () => {
    expect(workerExecArgv(["--import", "tsx"], "")).toEqual(["--import", "tsx", "--max-semi-space-size=16", "--heap-growing-percent=50"]);
  });

  it("leaves a flag the admin set, on the command line or in NODE_OPTIONS (either spelling), to the admin", () => {
    expect(workerExecArgv(["--max-semi-space-size=64"], "")).toEqual(["--max-semi-space-size=64", "--heap-growing-percent=50"]);
    expect(workerExecArgv([], "--max-old-space-size=512 --heap_growing_percent=0")).toEqual(["--max-semi-space-size=16"]);
    expect(workerExecArgv([], "--max-semi-space-size=8 --heap-growing-percent=20")).toEqual([]);
  });
});
