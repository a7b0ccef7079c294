import { createPushListener, type TPushListener } from "./push-listener";

export type TPushRuntime = {
  listener: TPushListener;
  subject: string;
  fetchImpl?: typeof fetch;
  stop: () => Promise<void>;
};

// What a process needs to run pushes: the shared LISTEN connection and the VAPID contact.
export const createPushRuntime = async (options: { databaseUrl: string; subject?: string; log?: (line: string) => void; fetchImpl?: typeof fetch }): Promise<TPushRuntime> => {
  const listener = await createPushListener({ databaseUrl: options.databaseUrl, log: options.log });
  return {
    listener,
    subject: options.subject ?? process.env.TWOFOLD_VAPID_SUBJECT ?? "mailto:admin@twofold.invalid",
    fetchImpl: options.fetchImpl,
    stop: () => listener.stop(),
  };
};
