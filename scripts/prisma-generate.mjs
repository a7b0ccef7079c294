// `prisma generate` offline: the CLI wants a schema-engine binary path before it will start, but
// generate never runs it, so any existing file satisfies it (see ../shared/STACK.md).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

if (!existsSync("node_modules/prisma/build/index.js")) process.exit(0); // production install without dev deps
execFileSync(process.execPath, ["node_modules/prisma/build/index.js", "generate"], {
  stdio: "inherit",
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
});
