// RFC 4515 escaping for a value placed inside an LDAP search filter. Every character with a meaning in filter syntax
// ("*", "(", ")", "\", NUL) and every control character is hex-escaped, so a username can never widen or rewrite
// the filter ("*", "admin)(|(uid=*", ...). Non-ASCII passes through as UTF-8, which filters allow.
const SPECIAL = new Set(["*", "(", ")", "\\"]);

export const escapeLdapFilterValue = (value: string): string =>
  Array.from(value)
    .map((char) => {
      const code = char.charCodeAt(0);
      return code < 0x20 || code === 0x7f || SPECIAL.has(char) ? `\\${code.toString(16).padStart(2, "0")}` : char;
    })
    .join("");

// Substitutes the escaped username into an admin-written filter such as "(sAMAccountName={username})".
export const buildUserFilter = (template: string | null, username: string): string => {
  const filter = template?.trim() || "(|(sAMAccountName={username})(uid={username}))";
  if (!filter.includes("{username}")) throw new Error('LDAP user filter must contain "{username}"');
  return filter.split("{username}").join(escapeLdapFilterValue(username));
};

// "cn=VPN Users,ou=Groups,dc=corp" -> "VPN Users" (first RDN value, escapes undone).
export const firstRdnValue = (dn: string): string => {
  const match = /^[^=]+=((?:\\.|[^,+\\])*)/.exec(dn);
  const raw = match?.[1] ?? dn;
  return raw
    .replace(/(?:\\[0-9a-fA-F]{2})+/g, (run) => Buffer.from(run.replace(/\\/g, ""), "hex").toString("utf8"))
    .replace(/\\(.)/g, "$1")
    .trim();
};
