#!/usr/bin/env node
// The RADIUS worker as plain JavaScript (dist/worker/), so production runs it without tsx: no esbuild service process
// beside every worker process and no TypeScript loader in its heap (~40 MB per process, see README "Benchmarks").
//
//   node scripts/build-worker.mjs            (`npm run build:worker`) builds dist/worker/ — run it once per release
//                                            (image build, package); then `node dist/worker/main.js` is the worker.
//   node scripts/build-worker.mjs --run      (`npm run worker`, `npm start`) rebuilds only when a source file changed
//                                            since the last build (~1 s), then runs the bundle in this process. A
//                                            fresh clone needs no extra step, and a stale bundle is never what runs.
//   node scripts/build-worker.mjs --check    (deploy/bin/twofold-service worker) writes nothing: exit 0 when the
//                                            bundle is current, else says why and what to run, exit 78 (EX_CONFIG).
//                                            A service runs from a tree it cannot write (systemd's ProtectSystem=strict,
//                                            the image's root-owned /app), so it never builds; it refuses a stale bundle.
//   --outdir <dir>                           another output folder, two levels under the project root (tests).
//
// Plain .mjs on purpose: it must run where tsx is not loaded. Packages stay external (resolved from node_modules at
// run time, as under tsx); only our own lib/ and worker/ sources are bundled.
import { createRequire } from "node:module";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(import.meta.dirname, "..");
const SELF = fileURLToPath(import.meta.url);
const INPUTS_FILE = "inputs.json"; // every source file of the last build with its mtime and size
const ENTRIES = ["worker/main.ts", "worker/worker-process.ts"];

// lib/db/migrate.ts, lib/radius/dictionary.ts and worker/supervise-worker-process.ts find their files relative to
// import.meta.dirname; from lib/<x>/ and from dist/<x>/ alike "../.." is the project root. Any other depth breaks that.
const checkOutdir = (outdir) => {
  const relative = path.relative(ROOT, outdir);
  if (relative.startsWith("..") || path.isAbsolute(relative) || relative.split(path.sep).length !== 2) {
    throw new Error(`--outdir must be two levels under ${ROOT} (like dist/worker), not ${outdir}`);
  }
};

// Prisma ships its query compiler (WebAssembly) only as a base64 string inside a JS module: loaded that way every
// worker process keeps that 4.4 MB source and an internalized copy of the string (~9 MB) for its whole life. The
// bundle instead carries the decoded .wasm beside it and compiles it from the file's bytes, which are then garbage.
// Should a Prisma upgrade change the generated loader, the pattern no longer matches and the bundle keeps Prisma's
// own (correct, just larger) loader, with a warning at build time.
const PRISMA_WASM_FILE = "prisma-query-compiler.wasm";
const prismaWasmFromFile = (staging) => ({
  name: "prisma-wasm-from-file",
  setup(build) {
    build.onLoad({ filter: /[\\/]lib[\\/]db[\\/]generated[\\/]internal[\\/]class\.ts$/ }, async (args) => {
      const source = readFileSync(args.path, "utf8");
      const loader = /const \{ wasm \} = await import\("(@prisma\/client\/runtime\/[\w.-]+\.wasm-base64\.mjs)"\)\s*\n\s*return await decodeBase64AsWasm\(wasm\)/.exec(source);
      if (!loader?.[1]) return { contents: source, loader: "ts", warnings: [{ text: "Prisma's query compiler loader changed: the bundle keeps the base64 copy (more memory per process)" }] };
      const { wasm } = await import(loader[1]);
      mkdirSync(staging, { recursive: true });
      writeFileSync(path.join(staging, PRISMA_WASM_FILE), Buffer.from(wasm, "base64"));
      const fromFile = `const { readFileSync } = await import("node:fs");\n    return new WebAssembly.Module(readFileSync(new URL("./${PRISMA_WASM_FILE}", import.meta.url)))`;
      return { contents: source.replace(loader[0], fromFile), loader: "ts" };
    });
  },
});

const fingerprint = (file) => {
  const stat = statSync(file);
  return `${stat.mtimeMs}:${stat.size}`;
};

// Why the bundle in outdir is not what its sources would build now; undefined when it is. Current when the last
// build's every input (and this script) is unchanged. A new source file can only enter the bundle through an edit of
// a file already in it, so the recorded inputs are enough.
export const workerBundleProblem = (outdir = path.join(ROOT, "dist/worker")) => {
  let recorded;
  try {
    recorded = JSON.parse(readFileSync(path.join(outdir, INPUTS_FILE), "utf8"));
  } catch {
    return "is missing (never built, or half built)";
  }
  const absent = ENTRIES.map((entry) => `${path.basename(entry, ".ts")}.js`).find((file) => !existsSync(path.join(outdir, file)));
  if (absent) return `is missing ${absent}`;
  if (typeof recorded !== "object" || recorded === null) return `has an unreadable ${INPUTS_FILE}`;
  for (const [file, print] of Object.entries(recorded)) {
    if (!existsSync(path.join(ROOT, file))) return `is out of date: ${file}, one of its sources, is gone`;
    if (fingerprint(path.join(ROOT, file)) !== print) return `is out of date: ${file} changed since it was built`;
  }
  return undefined;
};

export const workerBundleIsCurrent = (outdir = path.join(ROOT, "dist/worker")) => workerBundleProblem(outdir) === undefined;

// sysexits.h EX_CONFIG: the worker unit's RestartPreventExitStatus, so systemd does not restart into the same refusal.
export const EXIT_BUNDLE_NOT_CURRENT = 78;

export const buildWorker = async (outdir = path.join(ROOT, "dist/worker")) => {
  checkOutdir(outdir);
  // esbuild is tsx's own dependency: resolved through tsx, so it is found however npm laid node_modules out.
  const esbuild = createRequire(createRequire(path.join(ROOT, "package.json")).resolve("tsx"))("esbuild");
  // Built beside the target and swapped in, so a worker process the supervisor restarts meanwhile never loads half
  // a build; the temporary folder has the same depth, so its paths resolve the same way.
  const staging = `${outdir}.new-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: staging,
    bundle: true,
    splitting: true, // the supervisor (main.js) does not parse the worker's code it never runs
    format: "esm",
    platform: "node",
    target: "node24",
    packages: "external", // bare imports in the output; under dist/ Node resolves them from the root's node_modules
    sourcemap: "linked", // bench/summarize-profile.ts maps profiles back to lib/… with it
    metafile: true,
    logLevel: "warning",
    plugins: [prismaWasmFromFile(staging)],
    banner: { js: "// Built by scripts/build-worker.mjs from worker/ and lib/ — do not edit; run `npm run build:worker`." },
  });
  // esbuild's service process would otherwise live on beside the worker that `--run` starts in this process.
  await esbuild.stop();
  // Packages are not bundled, so an upgrade needs no rebuild — except Prisma's, whose compiler the bundle carries.
  const prismaPackage = path.relative(ROOT, createRequire(path.join(ROOT, "package.json")).resolve("@prisma/client/package.json"));
  const sources = [...Object.keys(result.metafile.inputs), path.relative(ROOT, SELF)].filter((file) => !file.includes("node_modules"));
  const inputs = Object.fromEntries([...sources, prismaPackage].map((file) => [file, fingerprint(path.join(ROOT, file))]));
  writeFileSync(path.join(staging, INPUTS_FILE), JSON.stringify(inputs, null, 1));
  const previous = `${outdir}.old-${process.pid}`;
  try {
    renameSync(outdir, previous);
  } catch (error) {
    if (error.code !== "ENOENT") throw error;
  }
  try {
    renameSync(staging, outdir);
  } catch (error) {
    // Another build of the same sources got there first between our two renames: use theirs.
    if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
    rmSync(staging, { recursive: true, force: true });
  }
  rmSync(previous, { recursive: true, force: true });
  return { outdir, inputs: Object.keys(inputs).length };
};

const main = async () => {
  const args = process.argv.slice(2);
  const at = args.indexOf("--outdir");
  const outdir = at >= 0 && args[at + 1] ? path.resolve(args[at + 1]) : path.join(ROOT, "dist/worker");
  if (args.includes("--check")) {
    const problem = workerBundleProblem(outdir);
    if (!problem) return;
    const where = path.relative(ROOT, outdir);
    console.error(
      `the worker bundle ${where}/ ${problem}. The service runs the built bundle and never builds it (its installation folder is read-only to it): ` +
        `run \`npm run build:worker\` in ${ROOT} as the folder's owner (after every upgrade or \`npm ci\`), then start the worker again.`,
    );
    process.exitCode = EXIT_BUNDLE_NOT_CURRENT;
    return;
  }
  if (!args.includes("--run")) {
    const built = await buildWorker(outdir);
    console.log(`worker built: ${path.relative(ROOT, built.outdir)}/main.js (${built.inputs} source files); run it with \`node ${path.relative(process.cwd(), path.join(built.outdir, "main.js"))}\``);
    return;
  }
  if (!workerBundleIsCurrent(outdir)) {
    mkdirSync(path.dirname(outdir), { recursive: true });
    await buildWorker(outdir);
  }
  await import(pathToFileURL(path.join(outdir, "main.js")).href);
};

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  main().catch((error) => {
    console.error(`build-worker: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
