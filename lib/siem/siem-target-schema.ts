import path from "node:path";
import { z } from "zod";

export type TSiemTarget =
  | { kind: "udp" | "tcp" | "tls"; host: string; port: number; key: string }
  | { kind: "file"; path: string; key: string };

const DEFAULT_PORTS = { udp: 514, tcp: 514, tls: 6514 } as const; // RFC 5426, RFC 6587 (customary), RFC 5425

const parseTarget = (text: string): TSiemTarget | string => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "not a URL (udp://host:514, tcp://host:514, tls://host:6514 or file:///path)";
  }
  if (url.username || url.password) return "no credentials in the URL";
  if (url.search || url.hash) return "no query or fragment";
  const kind = url.protocol.slice(0, -1);
  if (kind === "file") {
    if (url.host) return "file:///absolute/path (no host)";
    const file = decodeURIComponent(url.pathname);
    if (!path.isAbsolute(file) || file.endsWith("/") || file.includes("\0")) return "file:///absolute/path to a file";
    return { kind, path: file, key: `file://${file}` };
  }
  if (kind !== "udp" && kind !== "tcp" && kind !== "tls") return `unknown scheme ${kind}: (udp, tcp, tls, file)`;
  if (url.pathname && url.pathname !== "/") return "no path after host:port";
  // udp:/tcp:/tls: are not special schemes to WHATWG URL: their host is opaque, neither lowercased nor checked.
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  if (!host) return "a host is required";
  if (!/^[a-z0-9.:_-]+$/.test(host)) return "the host must be a DNS name or an IP address";
  const port = url.port ? Number(url.port) : DEFAULT_PORTS[kind];
  // The cursor is named after the target: the same receiver written two ways is still one position.
  return { kind, host, port, key: `${kind}://${host.includes(":") ? `[${host}]` : host}:${port}` };
};

// TWOFOLD_SIEM_TARGETS="udp://siem:514,tls://siem:6514,file:///var/log/twofold/events.jsonl". Empty: no stream.
export const ZSiemTargetsSchema = z
  .string()
  .max(4000)
  .default("")
  .transform((text, context) => {
    const targets: TSiemTarget[] = [];
    for (const item of text.split(",").map((part) => part.trim()).filter(Boolean)) {
      const parsed = parseTarget(item);
      if (typeof parsed === "string") context.addIssue({ code: "custom", message: `${item}: ${parsed}` });
      else if (targets.some((target) => target.key === parsed.key)) context.addIssue({ code: "custom", message: `${item}: listed twice` });
      else targets.push(parsed);
    }
    return targets;
  });

// RFC 5424 §6.2.1 facility names (the numbers are the index).
export const SYSLOG_FACILITIES = ["kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp", "ntp", "audit", "alert", "clock", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"] as const;
// authpriv: the stream names users and their devices' addresses, which a syslog setup keeps off world-readable files.
export const ZSiemFacilitySchema = z.enum(SYSLOG_FACILITIES).default("authpriv");
export type TSiemFacility = z.infer<typeof ZSiemFacilitySchema>;
