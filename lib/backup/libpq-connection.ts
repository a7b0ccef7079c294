// The password of DATABASE_URL goes to pg_dump/pg_restore as PGPASSWORD, not on their command line, where `ps` on a
// shared host would show it. The rest of the URL (hosts, port, database, sslmode, target_session_attrs) stays a URL:
// libpq reads every form of it, multi-host included.
export const libpqConnection = (databaseUrl: string): { dbname: string; env: Record<string, string> } => {
  const match = /^(postgres(?:ql)?:\/\/)([^@/?#]*)@/.exec(databaseUrl);
  const userinfo = match?.[2];
  if (!match || userinfo === undefined || !userinfo.includes(":")) return { dbname: databaseUrl, env: {} };
  const colon = userinfo.indexOf(":");
  const user = userinfo.slice(0, colon);
  const password = decodeURIComponent(userinfo.slice(colon + 1));
  return { dbname: `${match[1]}${user}@${databaseUrl.slice(match[0].length)}`, env: { PGPASSWORD: password } };
};
