import { parseArgs } from "node:util";
import type { z } from "zod";
import { CliUsageError, type TOptionSpec } from "./cli-types";

const describePath = (path: readonly PropertyKey[]): string => {
  const [head, index] = path;
  if (head === undefined) return "";
  if (head === "positionals") return index === undefined ? "arguments: " : `argument ${Number(index) + 1}: `;
  return `--${String(head)}: `;
};

// node:util parseArgs reads the words (strict: an unknown option is a usage error, not silently ignored); the
// command's zod schema then decides what they mean.
export const parseCommandArgs = <TArgs>(options: { argv: string[]; options: TOptionSpec; schema: z.ZodType<TArgs> }): TArgs => {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: options.argv, options: options.options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  const result = options.schema.safeParse({ ...parsed.values, positionals: parsed.positionals });
  if (!result.success) throw new CliUsageError(result.error.issues.map((issue) => `${describePath(issue.path)}${issue.message}`).join("\n"));
  return result.data;
};
