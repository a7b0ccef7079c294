import { z } from "zod";

export const ZJsonFlagSchema = z.boolean().default(false);

export const noArguments = (command: string) => z.array(z.string()).max(0, `${command} takes no arguments`);

// Exactly one positional argument, named in the message the way the usage line names it.
export const oneArgument = (label: string) =>
  z
    .array(z.string())
    .length(1, `expected exactly one ${label}`)
    .transform((values) => values[0] ?? "");

export const JSON_OPTION = { json: { type: "boolean" } } as const;
