import { describe, expect, it } from "vitest";
import { coaReplayKey, createCoaReplayMemory } from "./create-coa-replay-memory";

describe("the CoA replay memory", () => {
  it("knows a request by its sender and Request Authenticator until it expires", () => {
    const memory = createCoaReplayMemory();
    const authenticator = Buffer.alloc(16, 7);
    memory.remember(coaReplayKey("192.0.2.10", authenticator), 2000, 1000);
    expect(memory.seenUntil(coaReplayKey("192.0.2.10", authenticator), 1999)).toBe(2000);
    expect(memory.seenUntil(coaReplayKey("192.0.2.10", authenticator), 2000)).toBeUndefined();
    expect(memory.seenUntil(coaReplayKey("192.0.2.11", authenticator), 1500)).toBeUndefined(); // another sender
    expect(memory.seenUntil(coaReplayKey("192.0.2.10", Buffer.alloc(16, 8)), 1500)).toBeUndefined(); // another request
  });

  it("sweeps expired entries and, past its bound, lets the oldest go", () => {
    const memory = createCoaReplayMemory({ maxEntries: 3, sweepEveryMs: 100 });
    for (let index = 0; index < 3; index += 1) memory.remember(`k${index}`, 1000 + index, 0);
    memory.remember("k3", 5000, 10); // over the bound: k0 goes
    expect([memory.size(), memory.seenUntil("k0", 10), memory.seenUntil("k1", 10)]).toEqual([3, undefined, 1001]);
    memory.remember("k4", 5000, 2000); // a sweep: k1 and k2 expired
    expect(memory.size()).toBe(2);
  });
});
