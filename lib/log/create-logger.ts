import pino, { type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";
import { ZLogLevelSchema, type TLogLevel } from "./log-level";

export type TLogger = Logger;

// Keys whose values never reach a log line, wherever a caller nests them (a request's attributes, an error's cause).
const REDACT = ["password", "secret", "token", "skey", "passcode", "*.password", "*.secret", "*.token", "*.skey", "*.passcode", "*.User-Password", "*.userPassword"];

export type TCreateLoggerOptions = {
  name: string; // "worker", "console", "twofold": which process wrote the line
  level?: TLogLevel; // default: TWOFOLD_LOG_LEVEL, else info
  base?: Record<string, unknown>; // fields on every line (workerId)
  pretty?: boolean; // default: stdout is a terminal (`npm start` run by hand); JSON for journald, containers, files
  destination?: DestinationStream; // tests
};

// The one logger factory: one JSON object per line (pino), so journald/Loki/a SIEM take it without a parsing rule.
export const createLogger = (options: TCreateLoggerOptions): TLogger => {
  const level = options.level ?? ZLogLevelSchema.catch("info").parse(process.env.TWOFOLD_LOG_LEVEL ?? "info");
  const prettyOutput = options.pretty ?? (options.destination === undefined && process.stdout.isTTY === true);
  const settings = { name: options.name, level, base: { pid: process.pid, ...options.base }, redact: { paths: REDACT, censor: "[redacted]" } };
  if (options.destination) return pino(settings, options.destination);
  // Synchronous writes: a line logged just before process.exit (a failed start) is not lost in a buffer.
  if (prettyOutput) return pino(settings, pretty({ colorize: true, sync: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" }));
  return pino(settings, pino.destination({ dest: 1, sync: true }));
};
