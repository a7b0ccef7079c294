import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startSlapd, type TSlapd } from "./slapd";

let slapd: TSlapd;
beforeAll(async () => {
  slapd = await startSlapd();
});
afterAll(async () => {
  await slapd?.stop();
});

const search = (bindDn: string, password: string, filter: string, attrs: string[]) =>
  execFileSync("ldapsearch", ["-x", "-LLL", "-H", slapd.url, "-D", bindDn, "-w", password, "-b", slapd.baseDn, filter, ...attrs], { stdio: "pipe" }).toString();

it("serves the seeded tree to the service account, with memberOf from the overlay", () => {
  const alice = search(slapd.bindDn, slapd.bindPassword, "(uid=alice)", ["memberOf", "mail"]);
  expect(alice).toContain(`dn: ${slapd.users.alice.dn}`);
  expect(alice).toContain(`memberOf: cn=engineering,${slapd.groupsDn}`);
  const nested = search(slapd.bindDn, slapd.bindPassword, `(member=cn=engineering,${slapd.groupsDn})`, ["cn"]);
  expect(nested).toContain("cn: vpn-users");
});

it("lets users bind with their own password and refuses a wrong one", () => {
  const carol = slapd.users.carol;
  expect(search(carol.dn, carol.password, "(uid=carol)", ["uid"])).toContain("uid: carol");
  expect(() => search(carol.dn, "wrong", "(uid=carol)", ["uid"])).toThrow();
});
