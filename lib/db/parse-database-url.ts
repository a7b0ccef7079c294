import { z } from "zod";

export type TDatabaseHost = { host: string; port: number };

// A DATABASE_URL as libpq reads it, including the multi-host form `postgresql://u:p@h1:5432,h2:5432/db?target_session_attrs=read-write`
// that node-postgres cannot parse. `url` is the same URL with only the first host, so a single-host URL passes
// through unchanged and everything else (user, password, database, sslmode…) keeps pg's own parsing.
export type TDatabaseTarget = { hosts: TDatabaseHost[]; requireWritable: boolean; url: string; urlFor: (host: TDatabaseHost) => string };

const ZTargetSessionAttrsSchema = z.enum(["any", "read-write", "primary"]);

const URL_SHAPE = /^(postgres(?:ql)?:\/\/)((?:[^@/?#]*@)?)([^/?#]*)(.*)$/s;

const parseHost = (text: string): TDatabaseHost => {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const [host, port] = bracketed ? [bracketed[1] ?? "", bracketed[2]] : [text.split(":")[0] ?? "", text.split(":")[1]];
  const number = port === undefined || port === "" ? 5432 : Number(port);
  if (!host || !Number.isInteger(number) || number < 1 || number > 65_535) throw new Error(`DATABASE_URL: bad host "${text}"`);
  return { host, port: number };
};

const formatHost = ({ host, port }: TDatabaseHost) => `${host.includes(":") ? `[${host}]` : host}:${port}`;

export const parseDatabaseUrl = (url: string): TDatabaseTarget => {
  const match = URL_SHAPE.exec(url);
  if (!match) return { hosts: [], requireWritable: false, url, urlFor: () => url };
  const [, scheme = "", auth = "", hostList = "", rest = ""] = match;
  const hosts = hostList.split(",").filter(Boolean).map(parseHost);
  const query = new URLSearchParams(rest.split("?")[1]?.split("#")[0] ?? "");
  const attrs = ZTargetSessionAttrsSchema.parse(query.get("target_session_attrs") ?? "any");
  // pg would pass an unknown parameter on to the server as a setting, which refuses it.
  query.delete("target_session_attrs");
  const path = rest.split("?")[0] ?? "";
  const search = query.size > 0 ? `?${query.toString()}` : "";
  const urlFor = (host: TDatabaseHost) => `${scheme}${auth}${formatHost(host)}${path}${search}`;
  const first = hosts[0];
  return { hosts, requireWritable: attrs !== "any", url: hosts.length === 1 && attrs === "any" ? url : first ? urlFor(first) : url, urlFor };
};
