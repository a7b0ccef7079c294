import type { TServerEnv } from "../env/server-env";

// The address users reach the console at, as `npm start` prints it (setup and sign-in links).
export const consoleUrl = (env: TServerEnv): string => (env.TWOFOLD_PUBLIC_URL ?? `http://localhost:${env.TWOFOLD_CONSOLE_PORT}`).replace(/\/+$/, "");
