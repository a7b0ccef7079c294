#!/usr/bin/env node
// `npx twofold …` / `npm run twofold -- …`: the admin CLI (lib/cli). tsx is registered from this file's own
// node_modules, so the command works from any directory and through npm's bin symlink.
import "tsx";

const { runCliProcess } = await import("../lib/cli/run-cli.ts");
await runCliProcess(process.argv.slice(2));
