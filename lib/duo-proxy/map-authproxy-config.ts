import type { TConfigApplication, TConfigDocument, TConfigPolicy, TConfigPrimaryServer, TConfigRadiusClient } from "../config-transfer/config-document-schema";
import { readCfgSection, type TCfgReader } from "./cfg-values";
import { ipv4RangeToCidrs } from "./ipv4-range-to-cidrs";
import { mapAdClient, mapRadiusClient, type TMappedClient } from "./map-primary-client";
import type { TCfgSection } from "./parse-authproxy-cfg";

const SERVER_SECTION = /^radius_server_(auto|challenge|duo_only|concat|iframe|eap)\d*$/;
const FACTOR_ENTRY: Record<string, "append" | "challenge"> = { auto: "append", concat: "append", duo_only: "append", challenge: "challenge" };
// Options of a server section that only concern Duo's cloud or the proxy process: noted once, never mapped.
const DUO_CLOUD = ["ikey", "skey", "skey_protected", "api_host", "api_timeout"];
// Duo's "passcode" covers app codes, hardware tokens and bypass codes alike.
const PASSCODE_KINDS = ["totp", "hotp", "bypass_codes"] as const;

const inheritPolicy = (): TConfigPolicy => ({
  newUserPolicy: null, usernameNormalization: null, failMode: null, lockoutThreshold: null, autoUnlockMinutes: null, challengeTimeoutSec: null,
  maxChallengeAttempts: null, pushTimeoutSec: null, pushRateLimitPerHour: null, verifiedPush: null, whenNothingTyped: null, allowedFactorsInherit: true, allowedFactors: [],
  authorizedNetworksInherit: true, authorizedNetworks: [],
});

// factors=push,passcode: Duo's factor names → Twofold's; "auto" (the default) keeps the policy's own list.
const mapFactors = (cfg: TCfgReader, name: string, notes: string[]): Pick<TConfigPolicy, "allowedFactors" | "allowedFactorsInherit"> => {
  const factors = cfg.list("factors").map((factor) => factor.toLowerCase());
  if (factors.length === 0 || factors.every((factor) => factor === "auto")) return { allowedFactors: [], allowedFactorsInherit: true };
  const kinds = new Set<TConfigPolicy["allowedFactors"][number]>();
  for (const factor of factors) {
    if (factor === "passcode") for (const kind of PASSCODE_KINDS) kinds.add(kind);
    else if (factor === "push") kinds.add("push_device");
    else if (factor !== "auto") notes.push(`[${name}] factors: ${factor} has no Twofold equivalent (no phone calls or SMS)`);
  }
  return { allowedFactors: [...kinds], allowedFactorsInherit: kinds.size === 0 };
};

// radius_ip_N / radius_secret_N: one RADIUS client per address (a range becomes its covering prefixes).
const mapRadiusIps = (cfg: TCfgReader, application: string, notes: string[]): TConfigRadiusClient[] =>
  cfg.numbered("radius_ip_").flatMap((number) => {
    const address = cfg.get(`radius_ip_${number}`) ?? "";
    const secret = cfg.get(`radius_secret_${number}`);
    if (!secret && cfg.get(`radius_secret_${number}_protected`)) notes.push(`[${application}] radius_secret_${number}_protected is encrypted for the Duo proxy's Windows host: give it in clear in a copy of the file, or set it in the console`);
    const addresses = address.includes("-") ? (ipv4RangeToCidrs(address) ?? [address]) : [address];
    return addresses.map((item, index) => ({
      name: `${application}-${number}${addresses.length > 1 ? `-${index + 1}` : ""}`,
      address: item,
      requireMessageAuthenticator: true,
      application,
      coaPort: 1700, // the ASA's default dynamic-authorization port
      ...(secret ? { secret } : {}),
    }));
  });

const mapServerSection = (options: { section: TCfgSection; clients: Map<string, TCfgSection>; notes: string[] }) => {
  const { section, notes } = options;
  const name = section.name;
  const variant = SERVER_SECTION.exec(name)?.[1] ?? "";
  const cfg = readCfgSection(section);
  if (variant === "iframe" || variant === "eap") {
    notes.push(`[${name}]: Duo's ${variant} mode (${variant === "iframe" ? "a web prompt inside the VPN portal" : "EAP"}) has no Twofold equivalent; use radius_server_auto or _challenge`);
    return undefined;
  }
  const clientName = cfg.get("client") ?? (variant === "duo_only" ? "duo_only_client" : undefined);
  const clientSection = clientName ? options.clients.get(clientName) : undefined;
  let mapped: TMappedClient | undefined;
  if (clientName?.startsWith("duo_only_client")) mapped = { mode: "none", servers: [] };
  else if (clientName && clientSection && clientName.startsWith("radius_client")) mapped = mapRadiusClient({ name: clientName, cfg: readCfgSection(clientSection), notes });
  else if (clientName && clientSection && clientName.startsWith("ad_client")) mapped = mapAdClient({ name: clientName, cfg: readCfgSection(clientSection), notes });
  if (!mapped) {
    notes.push(`[${name}]: client=${clientName ?? "(none)"} ${clientName && !clientSection ? "is not a section of the file" : "is not a client Twofold can map"}; the application is not imported`);
    return undefined;
  }
  if (mapped.mode === "none") notes.push(`[${name}]: duo_only: the NAS checks the password itself and Twofold only the second factor; Duo read a passcode or "push" from the password field, Twofold expects it appended after the delimiter (or pushes automatically)`);
  const all = cfg.bool("pass_through_all") ?? mapped.passThroughAll;
  const attrs = cfg.list("pass_through_attr_names");
  const passThroughAttrs = attrs.length > 0 ? attrs : (mapped.passThroughAttrs ?? []);
  if (mapped.mode === "radius") notes.push(`[${name}]: ${all ? "all upstream attributes are passed to the NAS (pass_through_all)" : `only ${passThroughAttrs.length > 0 ? passThroughAttrs.join(", ") : "no"} upstream attributes are passed to the NAS, as Duo does without pass_through_all: check the ASA still gets its group policy (Class)`}`);
  const failmode = cfg.get("failmode")?.toLowerCase();
  if (failmode && failmode !== "safe" && failmode !== "secure") notes.push(`[${name}] failmode=${failmode}: not safe or secure; Duo's default (safe) used`);
  if (!failmode) notes.push(`[${name}]: no failmode, so Duo's default (safe) is set; Twofold opens only when its own database is unreachable`);
  const delimiter = cfg.get("delimiter") ?? ",";
  for (const key of ["allow_concurrent_auths", "delimited_password_length", "prompt_format", "enroll_challenge", "exempt_primary_bind", "interface"]) {
    if (cfg.get(key) !== undefined) notes.push(`[${name}] ${key}: not mapped${key === "allow_concurrent_auths" ? " (Twofold always allows concurrent logins and sends one push per login)" : ""}`);
  }
  const port = cfg.int("port");
  if (port !== undefined && port !== 1812) notes.push(`[${name}] port=${port}: Twofold answers every application on TWOFOLD_RADIUS_AUTH_PORT and tells them apart by the client's address`);
  const clients = mapRadiusIps(cfg, name, notes);
  if (clients.length === 0) notes.push(`[${name}]: no radius_ip_N: no RADIUS client will reach this application`);
  const policy: TConfigPolicy = { ...inheritPolicy(), failMode: failmode === "secure" ? "secure" : "safe", ...mapFactors(cfg, name, notes) };
  const application: TConfigApplication = {
    name,
    kind: "radius",
    primaryAuthMode: mapped.mode,
    factorEntry: FACTOR_ENTRY[variant] ?? "both",
    appendDelimiter: delimiter,
    passThroughAll: all ?? false,
    passThroughAttrs,
    permittedGroups: [],
    groupMappings: [],
    policy,
  };
  const servers: TConfigPrimaryServer[] = mapped.servers.map((server) => ({ ...server, application: name }));
  const leftover = cfg.unused().filter((key) => !DUO_CLOUD.includes(key) && !/^radius_(ip|secret)_\d+(_protected)?$/.test(key) && key !== "client");
  for (const key of leftover) notes.push(`[${name}] ${key}: not mapped`);
  return { application, clients, servers };
};

// authproxy.cfg → the document `config import` takes, plus everything that did not map. Applications are named after
// their sections, so importing the same file again updates instead of duplicating.
export const mapAuthproxyConfig = (options: { sections: TCfgSection[] }): { document: TConfigDocument; notes: string[] } => {
  const notes: string[] = [];
  const clients = new Map(options.sections.filter((section) => /^(radius_client|ad_client|duo_only_client)\d*$/.test(section.name)).map((section) => [section.name, section]));
  const document: TConfigDocument = { format: "twofold-config", version: 1, secrets: { mode: "omitted" }, groups: [], globalPolicy: null, applications: [], radiusClients: [], primaryServers: [] };
  let cloudNoted = false;
  for (const section of options.sections) {
    if (SERVER_SECTION.test(section.name)) {
      const mapped = mapServerSection({ section, clients, notes });
      if (!mapped) continue;
      if (!cloudNoted && DUO_CLOUD.some((key) => section.values.has(key))) {
        notes.push("ikey, skey, api_host: Duo's cloud credentials are not needed; Twofold issues its own keys per application");
        cloudNoted = true;
      }
      document.applications.push(mapped.application);
      document.radiusClients.push(...mapped.clients);
      document.primaryServers.push(...mapped.servers);
    } else if (/^ldap_server_auto\d*$/.test(section.name)) {
      notes.push(`[${section.name}]: Twofold serves RADIUS and the Duo Auth API, not LDAP; point the device at a RADIUS application instead`);
    } else if (section.name === "main") {
      if (section.values.size > 0) notes.push(`[main]: proxy process settings (${[...section.values.keys()].join(", ")}): not configuration, not mapped`);
    } else if (!clients.has(section.name)) {
      notes.push(`[${section.name}]: not a section Twofold maps`);
    }
  }
  const used = new Set(options.sections.filter((section) => SERVER_SECTION.test(section.name)).map((section) => section.values.get("client")?.trim()));
  for (const name of clients.keys()) if (!used.has(name) && !name.startsWith("duo_only_client")) notes.push(`[${name}]: no server section uses it; not imported`);
  // A client section two server sections share is mapped twice: its notes are said once.
  return { document, notes: [...new Set(notes)] };
};
