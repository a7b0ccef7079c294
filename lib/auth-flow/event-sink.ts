import type { TAccountingEventInput, TAuthEventInput } from "../auth-log/auth-event-schema";

// What the worker needs from the auth-log writer (lib/auth-log): fire-and-forget writes, a flush on shutdown.
export type TEventSink = {
  write: (event: TAuthEventInput) => void;
  writeAccounting: (event: TAccountingEventInput) => void;
  flush: () => Promise<void>;
  stop: () => Promise<void>;
};
