import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const STAMP = path.join(".next", "twofold-source-hash");
const SOURCES = ["app", "components", "lib", "next.config.mjs", "package.json", "tsconfig.json"];

const walk = (entry: string): string[] => {
  if (!existsSync(entry)) return [];
  if (!statSync(entry).isDirectory()) return [entry];
  return readdirSync(entry)
    .filter((name) => name !== "node_modules" && name !== "generated")
    .flatMap((name) => walk(path.join(entry, name)));
};

// A hash of the console's sources, so `npm start` rebuilds after a `git pull` and not otherwise.
const sourceHash = (): string => {
  const hash = createHash("sha256");
  for (const file of SOURCES.flatMap(walk).sort()) hash.update(file).update(readFileSync(file));
  return hash.digest("hex");
};

export const consoleBuildIsCurrent = (): boolean =>
  existsSync(path.join(".next", "BUILD_ID")) && existsSync(STAMP) && readFileSync(STAMP, "utf8") === sourceHash();

export const recordConsoleBuild = (): void => writeFileSync(STAMP, sourceHash());
