import type { TAuthEventInput } from "../lib/auth-log/auth-event-schema";
import type { TLogger } from "../lib/log/create-logger";

// One line per answered Access-Request at debug level (TWOFOLD_LOG_LEVEL=debug): the auth log already records each
// decision durably, so at info this would only double the I/O of every login. Never the password or the reply.
export const logAnsweredRequest = (options: { logger: TLogger; address: string; port: number; code: number; event: TAuthEventInput; startedAt: number }): void => {
  const { logger, event } = options;
  if (!logger.isLevelEnabled("debug")) return;
  logger.debug(
    { client: event.clientName ?? null, nas: `${options.address}:${options.port}`, user: event.username, result: event.result, reason: event.reason, factor: event.factor ?? null, code: options.code, ms: Math.round(performance.now() - options.startedAt) },
    "access-request answered",
  );
};
