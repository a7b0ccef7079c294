import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ZServerEnvSchema } from "./server-env";

const ROOT = path.resolve(import.meta.dirname, "../..");
// What the console, worker, CLI, scripts and the deployment files run; tests, test helpers and benchmarks are not
// configuration an admin sets.
const SCANNED = ["app", "components", "lib", "worker", "scripts", "bin", "deploy", "proxy.ts", "next.config.mjs", "prisma.config.ts", "Dockerfile"];
const SKIPPED = /(^|\/)(node_modules|generated|testing|test-support)(\/|$)|\.test\.tsx?$/;
const SOURCE = /\.(ts|tsx|mjs|js|sh|service|env|ya?ml|example)$|(^|\/)Dockerfile$/;
// Spelled like a variable, but none is read: the placeholder the ASA snippet shows when no worker address is known,
// and an error code.
const NOT_VARIABLES = new Set(["TWOFOLD_WORKER_IP", "TWOFOLD_NO_WRITABLE_DATABASE"]);

const walk = (entry: string): string[] => {
  const full = path.join(ROOT, entry);
  if (SKIPPED.test(entry)) return [];
  try {
    if (!statSync(full).isDirectory()) return SOURCE.test(entry) ? [entry] : [];
  } catch {
    return [];
  }
  return readdirSync(full).flatMap((name) => walk(path.join(entry, name)));
};

// Every way the code names a variable: process.env.X / process.env["X"], the shared schema's keys, an `env.X` of a
// parsed environment, and any TWOFOLD_* spelling (shell scripts, unit files, messages that tell an admin to set one).
const readVariables = (): Map<string, string> => {
  const found = new Map<string, string>();
  const add = (name: string, file: string) => {
    if (!NOT_VARIABLES.has(name) && !found.has(name)) found.set(name, file);
  };
  for (const name of Object.keys(ZServerEnvSchema.shape)) add(name, "lib/env/server-env.ts");
  const patterns = [
    /\bprocess\.env\.([A-Z][A-Z0-9_]*[A-Z0-9])\b/g,
    /\bprocess\.env\[\s*["'`]([A-Z][A-Z0-9_]*[A-Z0-9])["'`]\s*\]/g,
    /\benv(?:\(\))?\.([A-Z][A-Z0-9_]*[A-Z0-9])\b/g,
    /\b(TWOFOLD_[A-Z0-9_]*[A-Z0-9])\b/g,
  ];
  for (const file of SCANNED.flatMap(walk)) {
    const text = readFileSync(path.join(ROOT, file), "utf8");
    for (const pattern of patterns) for (const match of text.matchAll(pattern)) add(match[1] ?? "", file);
  }
  return found;
};

// The README's variable tables: the first cell of a row, each `NAME` in it ("`A` / `B`" documents both).
const documentedVariables = (readme: string): Set<string> => {
  const names = new Set<string>();
  for (const line of readme.split("\n")) {
    const firstCell = /^\|([^|]*)\|/.exec(line)?.[1] ?? "";
    for (const match of firstCell.matchAll(/`([A-Z](?:[A-Z0-9_]*[A-Z0-9])?)`/g)) names.add(match[1] ?? "");
  }
  return names;
};

describe("every environment variable is documented", () => {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");

  it("each variable the code reads has a row in a README table", () => {
    const documented = documentedVariables(readme);
    const missing = [...readVariables()].filter(([name]) => !documented.has(name)).map(([name, file]) => `${name} (read in ${file})`);
    expect(missing, "add a row for each to the README's *Environment variables* tables").toEqual([]);
  });

  it("each documented TWOFOLD_* variable is still read somewhere", () => {
    const read = readVariables();
    const stale = [...documentedVariables(readme)].filter((name) => name.startsWith("TWOFOLD_") && !read.has(name));
    expect(stale, "documented but read nowhere: remove the row or the code lost a read").toEqual([]);
  });

  it("finds every spelling (the scanner itself)", () => {
    expect(documentedVariables("| `A_B` / `C` | x |\n| prose | `E` |\n`F` outside")).toEqual(new Set(["A_B", "C"]));
    const read = readVariables();
    for (const name of ["DATABASE_URL", "TWOFOLD_VAPID_SUBJECT", "TWOFOLD_NEXT_DIST_DIR", "TWOFOLD_CLI_DEBUG", "TWOFOLD_INTERNAL_PEER_HEADER", "NODE_ENV"]) {
      expect(read.has(name), name).toBe(true);
    }
    expect(read.has("TWOFOLD_WORKER_IP")).toBe(false);
    expect([...read.keys()].some((name) => name.startsWith("TWOFOLD_TEST_"))).toBe(false);
  });
});
