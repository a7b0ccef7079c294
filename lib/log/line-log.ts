import type { TLogger } from "./create-logger";

// Most of the code takes `log: (line: string) => void` (a callback is easy to capture in tests). These lines are
// mostly progress; the ones that report a failure go out as warn so `TWOFOLD_LOG_LEVEL=warn` keeps exactly those.
const TROUBLE = /\b(fail(ed|s|ure)?|error|errors|refused|cannot|can't|unreachable|lost|timed? ?out|quarantin\w*|dropped|invalid|denied|gone)\b/i;

export const lineLevel = (line: string): "warn" | "info" => (TROUBLE.test(line) ? "warn" : "info");

export const lineLog = (logger: TLogger): ((line: string) => void) => (line) => logger[lineLevel(line)](line);
