import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { openEventSpool } from "./event-spool";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const open = (dir?: string) => {
  const spoolDir = dir ?? mkdtempSync(path.join(tmpdir(), "twofold-spool-unit-"));
  dirs.push(spoolDir);
  return openEventSpool<string>({ spoolDir, name: "auth-events-unit", prefix: "auth-events" }).then((spool) => ({ spool, spoolDir }));
};
const entries = (items: string[]) => items.map((item) => ({ line: JSON.stringify(item), item }));

it("feeds the database from memory and empties the journal once every line of it is in", async () => {
  const { spool, spoolDir } = await open();
  const live = path.join(spoolDir, "auth-events-unit.jsonl");
  await spool.append(entries(["a", "b"]));
  expect(readFileSync(live, "utf8")).toBe('"a"\n"b"\n'); // on disk before anything is inserted
  const first = await spool.next();
  expect(first).toEqual({ source: "live", items: ["a", "b"] });
  await spool.append(entries(["c"])); // arrives while a, b are being inserted
  await spool.done(first!);
  expect(statSync(live).size).toBeGreaterThan(0); // c is not in yet: nothing removed
  const second = await spool.next();
  expect(second).toEqual({ source: "live", items: ["c"] });
  await spool.done(second!);
  expect(statSync(live).size).toBe(0);
  expect(await spool.next()).toBeUndefined();
  await spool.close();
});

it("moves a full live file aside under constant load, keeping only what is still to insert", async () => {
  const { spool, spoolDir } = await open();
  const big = "x".repeat(700_000);
  await spool.append(entries([`${big}1`, `${big}2`]));
  const first = await spool.next();
  await spool.append(entries(["tail"]));
  await spool.done(first!); // over 1 MB with "tail" still to insert: rotated
  expect(existsSync(path.join(spoolDir, "auth-events-unit.replaying.jsonl"))).toBe(true);
  expect(statSync(path.join(spoolDir, "auth-events-unit.jsonl")).size).toBe(0);
  const second = await spool.next();
  expect(second).toEqual({ source: "replaying", items: ["tail"] });
  expect(spool.pending()).toBe(1);
  await spool.done(second!);
  expect(existsSync(path.join(spoolDir, "auth-events-unit.replaying.jsonl"))).toBe(false);
  expect(spool.pending()).toBe(0);
  await spool.close();
});

it("after a crash, replays from disk what the previous process journaled", async () => {
  const { spool, spoolDir } = await open();
  await spool.append(entries(["a", "b"])); // never marked done: the process "dies" here
  await spool.close();
  const { spool: again } = await open(spoolDir);
  expect(again.pending()).toBe(2);
  const segment = await again.next();
  expect(segment).toEqual({ source: "replaying", lines: ['"a"', '"b"'] });
  await again.append(entries(["c"]));
  await again.done(segment!);
  expect(await again.next()).toEqual({ source: "live", items: ["c"] });
  await again.close();
});
