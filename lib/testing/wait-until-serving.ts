import { waitFor } from "../../worker/test-support/wait-for";
import { radclient } from "./radclient";

export type TWaitUntilServingOptions = { ports: number[]; secret: string; timeoutMs?: number };

// A worker answers a NAS only once its config snapshot holds the client; until then its datagrams are dropped. Any
// answer (a reject for this unknown user will do) says the snapshot is in, so a test's first case is not a retransmit.
export const waitUntilServing = async ({ ports, secret, timeoutMs = 5000 }: TWaitUntilServingOptions) => {
  for (const port of ports) {
    await waitFor(async () => (await radclient({ port, secret, attributes: { "User-Name": "warmup", "User-Password": "x" } })).code, { timeoutMs });
  }
};
