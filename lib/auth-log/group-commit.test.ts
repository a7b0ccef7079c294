import { expect, it } from "vitest";
import { createGroupCommit } from "./group-commit";

const deferred = () => {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((yes, no) => [resolve, reject] = [yes, no]);
  return { promise, resolve, reject };
};

it("writes the first entry at once and groups those that arrive meanwhile into the next write", async () => {
  const writes: { entries: number[]; done: ReturnType<typeof deferred> }[] = [];
  const commit = createGroupCommit<number>({
    write: (entries) => {
      const done = deferred();
      writes.push({ entries, done });
      return done.promise;
    },
  });
  const settled: number[] = [];
  const add = (n: number) => commit.add(n).then(() => settled.push(n));
  const first = add(1);
  await Promise.resolve();
  await Promise.resolve();
  expect(writes.map((write) => write.entries)).toEqual([[1]]);
  const rest = [2, 3, 4].map(add);
  await new Promise((resolve) => setImmediate(resolve));
  expect(writes).toHaveLength(1); // waiting for the write in progress
  expect(settled).toEqual([]); // nobody is told "durable" before its own write finished

  writes[0]!.done.resolve();
  await first;
  await new Promise((resolve) => setImmediate(resolve));
  expect(writes.map((write) => write.entries)).toEqual([[1], [2, 3, 4]]);
  expect(settled).toEqual([1]);
  writes[1]!.done.resolve();
  await Promise.all(rest);
  expect(settled).toEqual([1, 2, 3, 4]);
  await commit.idle();
});

it("fails only the group whose write failed", async () => {
  let call = 0;
  const commit = createGroupCommit<string>({
    write: async () => {
      call += 1;
      if (call === 1) throw new Error("disk full");
    },
  });
  const outcomes = await Promise.allSettled([commit.add("a"), commit.add("b")]);
  expect(outcomes.map((outcome) => outcome.status)).toEqual(["rejected", "rejected"]); // one group: both in it
  await expect(commit.add("c")).resolves.toBeUndefined();
  await commit.idle();
});
