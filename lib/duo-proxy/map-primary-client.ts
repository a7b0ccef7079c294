import { escapeLdapFilterValue } from "../primary-auth/ldap-filter";
import type { TConfigPrimaryServer } from "../config-transfer/config-document-schema";
import type { TCfgReader } from "./cfg-values";

export type TMappedClient = { mode: "radius" | "ldap" | "none"; servers: Omit<TConfigPrimaryServer, "application">[]; passThroughAll?: boolean; passThroughAttrs?: string[] };

// Duo's failover order, which Twofold keeps as server positions, read as the proxy itself reads it (duoauthproxy
// lib/util.py): [radius_client] takes host and host_1, then host_2, host_3 … up to the first number missing;
// [ad_client] every host_N in order. A host the proxy never read is left to the "not mapped" notes.
const radiusHostKeys = (cfg: TCfgReader) => {
  const numbers = new Set(cfg.numbered("host_"));
  const keys = ["host", ...(numbers.has(1) ? ["host_1"] : [])];
  for (let n = 2; numbers.has(n); n += 1) keys.push(`host_${n}`);
  return keys;
};
const adHostKeys = (cfg: TCfgReader) => ["host", ...cfg.numbered("host_").map((n) => `host_${n}`)];
const suffix = (key: string) => (key === "host" ? "" : key.slice("host".length));

// Options of a client section nothing above read: said, not silently dropped (the server sections do the same).
const noteUnused = (options: { name: string; cfg: TCfgReader; notes: string[] }) => {
  for (const key of options.cfg.unused()) {
    const perHostSecret = /^secret_\d+(_protected)?$/.test(key);
    options.notes.push(`[${options.name}] ${key}: not mapped${perHostSecret ? " (Duo's radius_client has one secret for every host; that secret is used for each)" : ""}`);
  }
};

// [radius_client]: the upstream RADIUS (ISE/NPS) doing the password check.
export const mapRadiusClient = (options: { name: string; cfg: TCfgReader; notes: string[] }): TMappedClient => {
  const { cfg, name, notes } = options;
  // Duo waits retry_wait seconds (default 2) between its `retries` (default 3) attempts.
  const timeoutMs = Math.min(60_000, Math.max(100, (cfg.int("retry_wait") ?? 2) * 1000));
  const retries = Math.min(5, cfg.int("retries") ?? 3);
  // One `secret` (or secret_protected) for every host: the proxy reads no secret_2 (its modules/radius_client.py takes
  // get_protected_str("secret_protected", "secret") once for all hosts). A secret_N in the file is reported, not used.
  const secret = cfg.get("secret");
  const protectedSecret = cfg.get("secret_protected"); // read either way: with a clear secret beside it, it is not news
  if (!secret && protectedSecret) notes.push(`[${name}] secret_protected is encrypted for the Duo proxy's Windows host: give it in clear in a copy of the file, or set it in the console`);
  const servers = radiusHostKeys(cfg).flatMap((key, position) => {
    const host = cfg.get(key);
    if (!host) return [];
    return [{ name: `${name}${suffix(key)}`, kind: "radius" as const, host, port: cfg.int(`port${suffix(key)}`) ?? 1812, accountingPort: null, bindDn: null, baseDn: null, userFilter: null, groupAttribute: null, usernameAttribute: null, tlsMode: "none" as const, timeoutMs, retries, position, ...(secret ? { secret } : {}) }];
  });
  if (cfg.get("nas_ip")) notes.push(`[${name}] nas_ip: not mapped; Twofold sends the NAS's own NAS-IP-Address upstream`);
  const all = cfg.bool("pass_through_all");
  const names = cfg.list("pass_through_attr_names");
  noteUnused({ name, cfg, notes });
  return { mode: "radius", servers, ...(all !== undefined || names.length > 0 ? { passThroughAll: all ?? false, passThroughAttrs: names } : {}) };
};

// [ad_client]: Active Directory (or OpenLDAP) by LDAP bind. security_group_dn becomes a nested-membership filter, as
// Duo checks membership including nested groups.
export const mapAdClient = (options: { name: string; cfg: TCfgReader; notes: string[] }): TMappedClient => {
  const { cfg, name, notes } = options;
  const transport = (cfg.get("transport") ?? "clear").toLowerCase();
  const tlsMode: "none" | "ldaps" | "starttls" = transport === "ldaps" ? "ldaps" : transport === "starttls" ? "starttls" : "none";
  const attribute = cfg.get("username_attribute") ?? "sAMAccountName";
  const group = cfg.get("security_group_dn");
  const extra = cfg.get("ldap_filter");
  const parts = [`(${attribute}={username})`, ...(group ? [`(memberOf:1.2.840.113556.1.4.1941:=${escapeLdapFilterValue(group)})`] : []), ...(extra ? [extra.startsWith("(") ? extra : `(${extra})`] : [])];
  const userFilter = parts.length === 1 ? parts[0] ?? null : `(&${parts.join("")})`;
  const password = cfg.get("service_account_password");
  const protectedPassword = cfg.get("service_account_password_protected");
  if (!password && protectedPassword) notes.push(`[${name}] service_account_password_protected is encrypted for the Duo proxy's Windows host: set the bind password in the console`);
  const authType = (cfg.get("auth_type") ?? "").toLowerCase();
  if (authType && authType !== "plain") notes.push(`[${name}] auth_type=${authType}: Twofold binds with an LDAP simple bind${tlsMode === "none" ? " — use transport=ldaps or starttls so the password is not sent in clear" : ""}`);
  else if (tlsMode === "none") notes.push(`[${name}] transport=clear: passwords cross the network in clear; consider ldaps or starttls`);
  if (cfg.get("ssl_ca_certs_file")) notes.push(`[${name}] ssl_ca_certs_file: not mapped; Twofold checks the server certificate against the system CAs`);
  const timeoutMs = Math.min(60_000, Math.max(100, (cfg.int("timeout") ?? 10) * 1000));
  const bindDn = cfg.get("service_account_username") ?? null;
  if (bindDn && !/[=@\\]/.test(bindDn)) notes.push(`[${name}] service_account_username=${bindDn}: a simple bind needs a DN, user@domain or DOMAIN\\user; adjust it in the console`);
  // One `port` for every host, as the proxy reads it (get_ldap_port); a port_N would be reported as not mapped.
  const port = cfg.int("port") ?? (tlsMode === "ldaps" ? 636 : 389);
  const servers = adHostKeys(cfg).flatMap((key, position) => {
    const host = cfg.get(key);
    if (!host) return [];
    return [{ name: `${name}${suffix(key)}`, kind: "ldap" as const, host, port, accountingPort: null, bindDn, baseDn: cfg.get("search_dn") ?? null, userFilter, groupAttribute: null, usernameAttribute: attribute, tlsMode, timeoutMs, retries: 0, position, ...(password ? { secret: password } : {}) }];
  });
  noteUnused({ name, cfg, notes });
  return { mode: "ldap", servers };
};
