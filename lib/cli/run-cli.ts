import { AppError } from "../errors/app-error";
import { COMMANDS } from "./commands";
import { CliUsageError, EXIT, type TCliIo } from "./cli-types";
import { createCliContext } from "./create-cli-context";
import { helpText, type TCommand } from "./define-command";

const overview = (commands: readonly TCommand[], prefix: readonly string[] = []): string => {
  const width = Math.max(...commands.map((command) => command.path.join(" ").length));
  return [
    `Usage: twofold ${prefix.length > 0 ? `${prefix.join(" ")} ` : ""}<command> [options]   (twofold <command> --help for one command)`,
    "",
    ...commands.map((command) => `  ${command.path.join(" ").padEnd(width)}  ${command.summary}`),
    "",
    "Database and key as the worker reads them: DATABASE_URL and TWOFOLD_SECRET_KEY, or, with neither set, the checkout's",
    "embedded database (TWOFOLD_DATA_DIR, default .data) and its secret.key. Exit codes: 0 done, 1 failed, 2 usage.",
  ].join("\n");
};

const startsWith = (argv: readonly string[], path: readonly string[]) => path.every((word, index) => argv[index] === word);

// The longest command path that starts argv: "users list" before a hypothetical "users".
const findCommand = (argv: readonly string[]): TCommand | undefined =>
  [...COMMANDS].sort((a, b) => b.path.length - a.path.length).find((command) => startsWith(argv, command.path));

const wantsHelp = (argv: readonly string[]) => argv.includes("--help") || argv.includes("-h");

export const runCli = async (options: { argv: string[]; io: TCliIo }): Promise<number> => {
  const { argv, io } = options;
  if (argv.length === 0 || (argv.length === 1 && (argv[0] === "help" || wantsHelp(argv)))) {
    (argv.length === 0 ? io.err : io.out)(overview(COMMANDS));
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  const command = findCommand(argv);
  if (!command) {
    // "twofold users" or "twofold users --help": the group's commands.
    const group = COMMANDS.filter((candidate) => candidate.path.length > 1 && candidate.path[0] === argv[0]);
    if (group.length > 0 && (argv.length === 1 || wantsHelp(argv))) {
      (wantsHelp(argv) ? io.out : io.err)(overview(group, [argv[0] ?? ""]));
      return wantsHelp(argv) ? EXIT.ok : EXIT.usage;
    }
    io.err(`twofold: unknown command "${argv.join(" ")}"\n\n${overview(COMMANDS)}`);
    return EXIT.usage;
  }
  const rest = argv.slice(command.path.length);
  if (wantsHelp(rest)) {
    io.out(helpText(command));
    return EXIT.ok;
  }
  const { context, close } = createCliContext({ env: io.env });
  try {
    return await command.invoke({ argv: rest, io, context });
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.err(`twofold ${command.path.join(" ")}: ${error.message}\nUsage: twofold ${command.usage}`);
      return EXIT.usage;
    }
    if (AppError.is(error)) {
      const details = Object.entries(error.fieldErrors ?? {}).flatMap(([field, messages]) => messages.map((message) => `  ${field}: ${message}`));
      io.err([`twofold ${command.path.join(" ")}: ${error.message}`, ...details].join("\n"));
      return EXIT.failure;
    }
    io.err(`twofold ${command.path.join(" ")}: ${error instanceof Error ? error.message : String(error)}`);
    if (io.env.TWOFOLD_CLI_DEBUG && error instanceof Error && error.stack) io.err(error.stack);
    return EXIT.failure;
  } finally {
    await close();
  }
};

const readStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
};

// bin/twofold.mjs: the real process. The exit code is set, not forced, so stdout to a pipe is flushed; the unref'd
// timer ends a process some library keeps alive (a stray socket) without delaying a clean exit.
export const runCliProcess = async (argv: string[]): Promise<void> => {
  const io: TCliIo = {
    out: (text) => void process.stdout.write(`${text}\n`),
    err: (text) => void process.stderr.write(`${text}\n`),
    env: process.env,
    readStdin,
  };
  const code = await runCli({ argv, io });
  process.exitCode = code;
  setTimeout(() => process.exit(code), 5000).unref();
};
