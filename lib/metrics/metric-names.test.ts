import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { createPoolMetrics } from "../../worker/pool-metrics";
import { createConsoleMetrics } from "./create-console-metrics";
import { createWorkerMetrics } from "./create-worker-metrics";

const ROOT = path.resolve(import.meta.dirname, "../..");
const HISTOGRAM_SUFFIX = /_(bucket|count|sum)$/;

const exported = async (): Promise<Set<string>> => {
  const registries = [createWorkerMetrics().registry, createConsoleMetrics().registry];
  const names = new Set((await Promise.all(registries.map((registry) => registry.getMetricsAsJSON()))).flat().map((metric) => metric.name));
  for (const line of (await createPoolMetrics({ members: [] })()).text.split("\n")) if (line.startsWith("# TYPE ")) names.add(line.split(" ")[2] ?? "");
  return names;
};

it("every metric the Grafana dashboard queries is one the worker or the console exports", async () => {
  const names = await exported();
  const dashboard = readFileSync(path.join(ROOT, "deploy/grafana/twofold.json"), "utf8");
  const used = new Set([...dashboard.matchAll(/\btwofold_[a-z0-9_]+/g)].map((match) => match[0].replace(HISTOGRAM_SUFFIX, "")));
  expect(used.size).toBeGreaterThan(20);
  expect([...used].filter((name) => !names.has(name))).toEqual([]);
  expect(JSON.parse(dashboard)).toMatchObject({ title: "Twofold", uid: "twofold" });
});

it("every Twofold metric is documented in the README's table (process metrics by their prefix)", async () => {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Metrics and health checks"));
  const own = [...(await exported())].filter((name) => !/^twofold_(console_)?(process_|nodejs_)/.test(name));
  expect(own.length).toBeGreaterThan(25);
  expect(own.filter((name) => !section.includes(`\`${name}\``))).toEqual([]);
  expect(section).toContain("`twofold_process_*`");
  expect(section).toContain("`twofold_console_process_*`");
});
