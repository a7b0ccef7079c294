import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { adoptOrphanQueues } from "./adopt-orphan-queues";
import { holdFileLock } from "./hold-file-lock";
import { openForwardQueue } from "./open-forward-queue";
import { lockFileName, parseQueueFile, queueName } from "./queue-file-names";

// Queues on disk as a stopped worker leaves them (written through openForwardQueue, as the forwarder does), taken
// over by another; what a taker may deliver is read back the same way.
const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "twofold-adopt-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const record = (n: number) => ({ receivedAt: n, attributes: [[1, Buffer.from(`user-${n}`).toString("hex")]] as [number, string][] });
const log = () => {};

// Spools 1..count for `owner`, the first `delivered` of them delivered already.
const spool = async (dir: string, owner: string, applicationId: string, count: number, delivered = 0) => {
  const queue = await openForwardQueue({ dir, name: queueName(owner, applicationId) });
  for (let n = 1; n <= count; n += 1) await queue.append(record(n));
  for (let n = 0; n < delivered; n += 1) await queue.delivered();
  await queue.close();
};
// Every record `owner` now holds, per queue in delivery order.
const held = async (dir: string, owner: string) => {
  const queues = [...new Set(readdirSync(dir).map(parseQueueFile).filter((file) => file?.owner === owner && file.kind === "jsonl").map((file) => file!.queue))].sort();
  const out: number[][] = [];
  for (const name of queues) {
    const queue = await openForwardQueue({ dir, name });
    const items: number[] = [];
    while (queue.head()) {
      items.push(queue.head()!.receivedAt);
      await queue.delivered();
    }
    await queue.close();
    out.push(items);
  }
  return out;
};

describe("taking over the accounting queues of a worker that is not running", () => {
  it("leaves a running owner's queues alone, and takes exactly the undelivered records once it is gone", async () => {
    const dir = freshDir();
    const app = randomUUID();
    await spool(dir, "old-worker", app, 5, 2);
    const alive = await holdFileLock({ file: path.join(dir, lockFileName("old-worker")) });
    expect(alive.ok).toBe(true);
    expect(await adoptOrphanQueues({ dir, owner: "new-worker", log })).toBe(0);
    expect(existsSync(path.join(dir, `${queueName("old-worker", app)}.jsonl`))).toBe(true);
    if (alive.ok) await alive.lock.release();
    expect(await adoptOrphanQueues({ dir, owner: "new-worker", log })).toBe(3);
    expect(readdirSync(dir).filter((file) => file.startsWith(queueName("old-worker", app)))).toEqual([]);
    expect(await held(dir, "new-worker")).toEqual([[3, 4, 5]]);
    expect(await adoptOrphanQueues({ dir, owner: "new-worker", log })).toBe(0);
  });

  it("tells owners apart whose names share a prefix, and keeps each queue's order", async () => {
    const dir = freshDir();
    const [one, two] = [randomUUID(), randomUUID()];
    await spool(dir, "w", one, 2);
    await spool(dir, "w-2", one, 3);
    await spool(dir, "w-2", two, 1);
    expect(await adoptOrphanQueues({ dir, owner: "w", log })).toBe(4); // w-2's, not w's own
    const taken = await held(dir, "w");
    expect(taken.toSorted((a, b) => a.length - b.length)).toEqual([[1], [1, 2], [1, 2, 3]]);
  });

  it("two takers at once: each record goes to one of them", async () => {
    const dir = freshDir();
    const apps = [randomUUID(), randomUUID(), randomUUID()];
    for (const [index, app] of apps.entries()) await spool(dir, `gone-${index}`, app, 4 + index);
    const [a, b] = await Promise.all([adoptOrphanQueues({ dir, owner: "taker-a", log }), adoptOrphanQueues({ dir, owner: "taker-b", log })]);
    expect(a + b).toBe(4 + 5 + 6);
    const all = [...(await held(dir, "taker-a")), ...(await held(dir, "taker-b"))].toSorted((x, y) => x.length - y.length);
    expect(all).toEqual([[1, 2, 3, 4], [1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6]]);
  });

  it("after a taker's crash: a finished handoff is the queue (the old files are garbage), an unfinished one is nothing", async () => {
    const dir = freshDir();
    const [done, undone] = [randomUUID(), randomUUID()];
    // Crashed after writing the handoff, before removing the old files: the handoff holds records 3..4 only.
    await spool(dir, "crashed", done, 4, 2);
    writeFileSync(path.join(dir, `${queueName("crashed", done)}.handoff`), [3, 4].map((n) => `${JSON.stringify(record(n))}\n`).join(""));
    // Crashed while writing the copy: the queue itself is intact.
    await spool(dir, "crashed", undone, 2);
    writeFileSync(path.join(dir, `${queueName("crashed", undone)}.handoff.tmp`), `${JSON.stringify(record(1))}\n{"torn`);
    // And a handoff of the taker's own, left by whoever was taking its queues when it died.
    writeFileSync(path.join(dir, `${queueName("taker", done)}.handoff`), `${JSON.stringify(record(9))}\n`);
    await spool(dir, "taker", done, 7); // superseded by that handoff
    expect(await adoptOrphanQueues({ dir, owner: "taker", log })).toBe(2 + 2 + 1);
    expect(readdirSync(dir).filter((file) => file.includes("handoff") || file.includes("crashed-") || file === `${queueName("taker", done)}.jsonl`)).toEqual([]);
    expect((await held(dir, "taker")).toSorted((a, b) => a[0]! - b[0]! || a.length - b.length)).toEqual([[1, 2], [3, 4], [9]]);
  });
});
