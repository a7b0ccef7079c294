import type { ConnectionOptions } from "node:tls";
import { authenticateLdap, type TLdapServer } from "./ldap";
import type { TPrimaryRequest, TPrimaryResult } from "./types";

// The application's LDAP servers in order: the next one is tried only when a server cannot answer (timeout/error);
// a definite accept or reject from any server is final.
export const authenticateLdapServers = async (options: {
  servers: readonly TLdapServer[];
  request: Pick<TPrimaryRequest, "username" | "password">;
  tlsOptions?: ConnectionOptions;
}): Promise<TPrimaryResult> => {
  const started = performance.now();
  const failures: string[] = [];
  let sawTimeout = false;
  for (const server of options.servers) {
    const result = await authenticateLdap({ server, request: options.request, tlsOptions: options.tlsOptions });
    if (result.outcome !== "timeout" && result.outcome !== "error") return result;
    sawTimeout ||= result.outcome === "timeout";
    failures.push(result.detail);
  }
  const ms = Math.round(performance.now() - started);
  const detail = failures.length > 0 ? failures.join("; ") : "no LDAP server configured";
  return sawTimeout ? { outcome: "timeout", ms, detail } : { outcome: "error", ms, detail };
};
