import type { z } from "zod";
import type { TCliContext, TCliIo, TOptionSpec } from "./cli-types";
import { parseCommandArgs } from "./parse-command-args";

export type TCommandSpec<TArgs> = {
  path: readonly string[]; // ["users", "list"]
  summary: string;
  usage: string; // after "twofold ", e.g. "users list [--query <text>] [--json]"
  details?: string; // shown by --help under the usage line
  options: TOptionSpec;
  // Sees { positionals, ...options } exactly as node:util parseArgs returns them.
  schema: z.ZodType<TArgs>;
  run: (options: { args: TArgs; io: TCliIo; context: TCliContext }) => Promise<number>;
};

export type TCommand = Omit<TCommandSpec<unknown>, "schema" | "run"> & {
  invoke: (options: { argv: string[]; io: TCliIo; context: TCliContext }) => Promise<number>;
};

// Erases the argument type once the command's own schema has checked its arguments, so commands of different shapes
// live in one list.
export const defineCommand = <TArgs>(spec: TCommandSpec<TArgs>): TCommand => ({
  path: spec.path,
  summary: spec.summary,
  usage: spec.usage,
  details: spec.details,
  options: spec.options,
  invoke: ({ argv, io, context }) => spec.run({ args: parseCommandArgs({ argv, options: spec.options, schema: spec.schema }), io, context }),
});

export const helpText = (command: Pick<TCommand, "usage" | "summary" | "details">): string =>
  [`Usage: twofold ${command.usage}`, "", command.summary, ...(command.details ? ["", command.details] : [])].join("\n");
