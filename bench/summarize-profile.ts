import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

type TCallFrame = { functionName: string; url: string; lineNumber: number; columnNumber?: number };
type TNode = { id: number; callFrame: TCallFrame; children?: number[] };
type TProfile = { nodes: TNode[]; samples: number[]; timeDeltas: number[] };

// The bundled worker (dist/worker/*.js) profiles as a few chunk files: map each frame back to its lib/… or worker/…
// source through the chunk's source map, so the buckets below mean the same for the bundle as for tsx.
const maps = new Map<string, SourceMap | undefined>();
const sourceMapOf = (url: string): SourceMap | undefined => {
  if (!maps.has(url)) {
    const file = `${fileURLToPath(url)}.map`;
    maps.set(url, existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, "utf8"))) : undefined);
  }
  return maps.get(url);
};
const original = (frame: TCallFrame): TCallFrame => {
  if (!frame.url.startsWith("file://") || !frame.url.includes("/dist/")) return frame;
  const entry = sourceMapOf(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber ?? 0);
  if (!entry || !("originalSource" in entry)) return frame;
  const source = path.resolve(path.dirname(fileURLToPath(frame.url)), entry.originalSource.replace(/^file:\/\//, ""));
  return { ...frame, url: `file://${source}`, lineNumber: entry.originalLine };
};

const label = (node: TNode) =>
  `${node.callFrame.functionName || "(anonymous)"} ${node.callFrame.url.replace(/.*node_modules\//, "").replace(/.*\/work\/main\//, "").replace(/^file:\/\/.*?\/(lib|worker)\//, "$1/")}:${node.callFrame.lineNumber}`;

const bucket = (url: string) => {
  if (!url) return "(native/idle/gc)";
  if (url.startsWith("node:")) return "node core (dgram, crypto, streams)";
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg?.[1]) return pkg[1];
  const own = url.match(/\/(lib\/[^/]+|worker)\//);
  return own?.[1] ?? url;
};

// Self time by function and by package from V8 .cpuprofile files (node --cpu-prof; several processes' profiles are
// added up), idle excluded from the shares.
export const summarizeProfile = (files: string | string[], top = 15): string => {
  const byFunction = new Map<string, number>();
  const byBucket = new Map<string, number>();
  let busy = 0;
  for (const file of typeof files === "string" ? [files] : files) {
    const profile = JSON.parse(readFileSync(file, "utf8")) as TProfile;
    const nodes = new Map(profile.nodes.map((node) => [node.id, { ...node, callFrame: original(node.callFrame) }]));
    profile.samples.forEach((id, index) => {
      const node = nodes.get(id);
      const micros = profile.timeDeltas[index] ?? 0;
      if (!node || node.callFrame.functionName === "(idle)") return;
      busy += micros;
      byFunction.set(label(node), (byFunction.get(label(node)) ?? 0) + micros);
      const key = node.callFrame.functionName === "(garbage collector)" ? "(garbage collector)" : bucket(node.callFrame.url);
      byBucket.set(key, (byBucket.get(key) ?? 0) + micros);
    });
  }
  const lines = (map: Map<string, number>) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([key, micros]) => `  ${(micros / 1000).toFixed(0).padStart(7)} ms ${((100 * micros) / busy).toFixed(1).padStart(5)}%  ${key}`);
  return [`busy ${(busy / 1000).toFixed(0)} ms`, "by package:", ...lines(byBucket), "by function (self):", ...lines(byFunction)].join("\n");
};


if (process.argv[1]?.endsWith("summarize-profile.ts") && process.argv[2]) console.log(summarizeProfile(process.argv.slice(2)));
