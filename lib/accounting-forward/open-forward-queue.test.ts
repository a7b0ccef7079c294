import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openForwardQueue } from "./open-forward-queue";

const dir = mkdtempSync(path.join(tmpdir(), "twofold-forward-queue-"));
const record = (n: number) => ({ receivedAt: n, attributes: [[1, Buffer.from(`user-${n}`).toString("hex")]] as [number, string][] });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the accounting forward queue on disk", () => {
  it("keeps order across reopen, resumes after the last delivered record, and empties itself when all are delivered", async () => {
    const first = await openForwardQueue({ dir, name: "q1" });
    await Promise.all([1, 2, 3].map((n) => first.append(record(n)))); // one group, arrival order
    await first.delivered();
    await first.close();
    const again = await openForwardQueue({ dir, name: "q1" });
    expect([again.pending(), again.head()?.receivedAt]).toEqual([2, 2]);
    await again.delivered();
    await again.delivered();
    expect(readFileSync(path.join(dir, "q1.jsonl"), "utf8")).toBe("");
    await again.append(record(4));
    await again.close();
    const last = await openForwardQueue({ dir, name: "q1" });
    expect([last.pending(), last.head()?.receivedAt]).toEqual([1, 4]);
    await last.close();
  });

  it("drops a torn last line (never acknowledged) and reads a cursor past the end as all delivered", async () => {
    const queue = await openForwardQueue({ dir, name: "q2" });
    await queue.append(record(1));
    await queue.close();
    appendFileSync(path.join(dir, "q2.jsonl"), '{"receivedAt":2,"attri');
    const torn = await openForwardQueue({ dir, name: "q2" });
    expect(torn.pending()).toBe(1);
    await torn.append(record(3));
    await torn.close();
    const reread = await openForwardQueue({ dir, name: "q2" });
    expect([reread.pending(), reread.head()?.receivedAt]).toEqual([2, 1]);
    await reread.close();
    // The crash between emptying the records and resetting the cursor.
    writeFileSync(path.join(dir, "q3.jsonl"), "");
    writeFileSync(path.join(dir, "q3.cursor"), "                 120\n");
    const emptied = await openForwardQueue({ dir, name: "q3" });
    expect(emptied.pending()).toBe(0);
    await emptied.append(record(5));
    await emptied.close();
    const after = await openForwardQueue({ dir, name: "q3" });
    expect(after.head()?.receivedAt).toBe(5);
    await after.close();
  });
});
