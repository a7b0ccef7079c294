import { createPushListener, type TPushListener } from "@/lib/push/push-listener";

const holder = globalThis as unknown as { twofoldPushListener?: Promise<TPushListener> };

// One LISTEN connection for every open authenticator stream of this console process.
export const getPushListener = (): Promise<TPushListener> => {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  holder.twofoldPushListener ??= createPushListener({ databaseUrl: url, log: (line) => console.error(`[twofold] ${line}`) }).catch((error: unknown) => {
    holder.twofoldPushListener = undefined;
    throw error;
  });
  return holder.twofoldPushListener;
};
