import { describe, expect, it } from "vitest";
import { computeSyncDiff } from "./compute-sync-diff";
import type { TCurrentState, TDirectoryGroupEntry, TDirectoryUserEntry } from "./sync-types";

const b = (text: string) => Buffer.from(text, "utf8");
const user = (uid: string, id: string, extra: Partial<TDirectoryUserEntry> = {}): TDirectoryUserEntry => ({
  dn: `uid=${uid},ou=people,dc=x`, id: b(`00000000-0000-0000-0000-${id.padStart(12, "0")}`), name: b(uid), displayName: b(`${uid} name`), email: b(`${uid}@x.test`), ...extra,
});
const uuid = (id: string) => `00000000-0000-0000-0000-${id.padStart(12, "0")}`;
const group = (cn: string, id: string, members: string[]): TDirectoryGroupEntry => ({ dn: `cn=${cn},ou=groups,dc=x`, id: b(uuid(id)), name: b(cn), memberDns: members });
const empty: TCurrentState = { userLinks: [], groupLinks: [], users: [], groups: [], linkedElsewhere: [] };
const G = "cn=vpn,ou=groups,dc=x";

describe("computeSyncDiff", () => {
  it("creates users and groups with memberships on a first sync", () => {
    const users = [user("alice", "1"), user("bob", "2")];
    const diff = computeSyncDiff({ read: { users, groups: [group("vpn", "9", users.map((u) => u.dn))] }, current: empty, chosenGroupDns: [G], mode: "none" });
    expect(diff.creates.map((row) => [row.username, row.displayName, row.email])).toEqual([["alice", "alice name", "alice@x.test"], ["bob", "bob name", "bob@x.test"]]);
    expect(diff.groupCreates).toEqual([{ externalId: uuid("9"), dn: G, name: "vpn" }]);
    expect(diff.memberAdds.map((row) => row.username)).toEqual(["alice", "bob"]);
    expect(diff.refused).toEqual([]);
  });

  it("refuses invalid UTF-8, control and invisible characters, missing ids and over-long names, and reports each", () => {
    const users = [
      user("bad", "1", { name: Buffer.from([0x62, 0xff, 0x61]) }),
      user("ctl", "2", { name: b("ali\u0001ce") }),
      user("zw", "3", { name: b("ali\u200bce") }),
      user("noid", "4", { id: undefined }),
      user("long", "5", { name: b("a".repeat(201)) }),
      user("space", "6", { name: b("john smith") }),
      user("ok", "7"),
    ];
    const diff = computeSyncDiff({ read: { users, groups: [] }, current: empty, chosenGroupDns: [], mode: "none" });
    expect(diff.creates.map((row) => row.username)).toEqual(["ok"]);
    expect(diff.refused).toHaveLength(6);
    expect(diff.refused.map((row) => row.reason).join("\n")).toMatch(/not valid UTF-8[\s\S]*U\+0001|U\+0001[\s\S]*not valid UTF-8/);
    expect(diff.refused.find((row) => row.dn.startsWith("uid=noid"))?.reason).toMatch(/entryUUID/);
  });

  it("refuses both entries that fold to one name (case, fullwidth, DOMAIN\\user under strip_domain)", () => {
    const users = [user("Alice", "1"), user("x", "2", { dn: "uid=x,ou=contractors,dc=x", name: b("ａｌｉｃｅ") }), user("c", "3", { name: b("CORP\\carol") }), user("carol", "4")];
    const none = computeSyncDiff({ read: { users, groups: [] }, current: empty, chosenGroupDns: [], mode: "none" });
    expect(none.creates.map((row) => row.username)).toEqual(["carol", "corp\\carol"]);
    expect(none.refused.map((row) => row.dn).sort()).toEqual(["uid=Alice,ou=people,dc=x", "uid=x,ou=contractors,dc=x"]);
    const strip = computeSyncDiff({ read: { users, groups: [] }, current: empty, chosenGroupDns: [], mode: "strip_domain" });
    expect(strip.creates).toEqual([]);
    expect(strip.refused).toHaveLength(4);
    expect(strip.refused[0]!.reason).toMatch(/same account name/);
  });

  it("drops a display name with CR/LF and an invalid email with a warning, keeping the stored values", () => {
    const current: TCurrentState = {
      ...empty,
      userLinks: [{ externalId: uuid("1"), userId: "u1", dn: "uid=alice,ou=people,dc=x", removedAt: null }],
      users: [{ id: "u1", username: "alice", displayName: "Alice", email: "alice@x.test", status: "active" }],
    };
    const diff = computeSyncDiff({ read: { users: [user("alice", "1", { displayName: b("Evil\r\nBcc: x@y"), email: b("not an address") })], groups: [] }, current, chosenGroupDns: [], mode: "none" });
    expect(diff.updates).toEqual([]);
    expect(diff.warnings.map((row) => row.detail)).toEqual([expect.stringMatching(/display name/), expect.stringMatching(/not a valid address/)]);
  });

  it("renames by entry id, adopts a same-named user, disables the missing, and enables one that came back", () => {
    const current: TCurrentState = {
      ...empty,
      userLinks: [
        { externalId: uuid("1"), userId: "u1", dn: "uid=bob,ou=people,dc=x", removedAt: null },
        { externalId: uuid("2"), userId: "u2", dn: "uid=eve,ou=people,dc=x", removedAt: null },
        { externalId: uuid("3"), userId: "u3", dn: "uid=dan,ou=people,dc=x", removedAt: new Date() },
      ],
      users: [
        { id: "u1", username: "bob", displayName: "bob name", email: "bob@x.test", status: "active" },
        { id: "u2", username: "eve", displayName: "", email: null, status: "active" },
        { id: "u3", username: "dan", displayName: "dan name", email: "dan@x.test", status: "disabled" },
        { id: "u4", username: "frank", displayName: "frank name", email: "frank@x.test", status: "active" },
      ],
    };
    const users = [user("robert", "1", { dn: "uid=robert,ou=people,dc=x", displayName: b("bob name"), email: b("bob@x.test") }), user("dan", "3"), user("frank", "4")];
    const diff = computeSyncDiff({ read: { users, groups: [] }, current, chosenGroupDns: [], mode: "none" });
    expect(diff.renames).toEqual([{ externalId: uuid("1"), dn: "uid=robert,ou=people,dc=x", userId: "u1", from: "bob", to: "robert" }]);
    expect(diff.creates).toEqual([]);
    expect(diff.links).toEqual([{ externalId: uuid("4"), dn: "uid=frank,ou=people,dc=x", userId: "u4", username: "frank" }]);
    expect(diff.disables).toEqual([{ externalId: uuid("2"), userId: "u2", username: "eve", why: "left the directory" }]);
    expect(diff.enables).toEqual([{ externalId: uuid("3"), userId: "u3", username: "dan" }]);
  });

  it("disables nobody when the directory answers no users or a chosen group is missing", () => {
    const current: TCurrentState = {
      ...empty,
      userLinks: [{ externalId: uuid("1"), userId: "u1", dn: "uid=a,ou=people,dc=x", removedAt: null }],
      users: [{ id: "u1", username: "a", displayName: "", email: null, status: "active" }],
    };
    const none = computeSyncDiff({ read: { users: [], groups: [] }, current, chosenGroupDns: [], mode: "none" });
    expect(none.disables).toEqual([]);
    expect(none.warnings[0]!.detail).toMatch(/no users/);
    const missing = computeSyncDiff({ read: { users: [user("b", "2")], groups: [group("vpn", "9", ["uid=b,ou=people,dc=x"])] }, current, chosenGroupDns: [G, "cn=gone,dc=x"], mode: "none" });
    expect(missing.disables).toEqual([]);
    expect(missing.creates.map((row) => row.username)).toEqual(["b"]);
  });

  it("expands nested groups once each, even in a cycle, and refuses two chosen groups of one name", () => {
    const users = [user("alice", "1"), user("carol", "2")];
    const groups = [
      group("vpn", "9", ["cn=eng,ou=groups,dc=x", "uid=alice,ou=people,dc=x"]),
      group("eng", "8", ["cn=vpn,ou=groups,dc=x", "UID=carol, OU=people, DC=x"]),
    ];
    const diff = computeSyncDiff({ read: { users, groups }, current: empty, chosenGroupDns: [G], mode: "none" });
    expect(diff.memberAdds.map((row) => row.username)).toEqual(["alice", "carol"]);
    const twins = [group("VPN", "9", []), { ...group("vpn", "7", []), dn: "cn=vpn,ou=other,dc=x" }];
    const clash = computeSyncDiff({ read: { users, groups: twins }, current: empty, chosenGroupDns: [G, "cn=vpn,ou=other,dc=x"], mode: "none" });
    expect(clash.groupCreates).toEqual([]);
    expect(clash.refused).toHaveLength(2);
  });

  it("moves memberships between groups and leaves refused entries' users untouched", () => {
    const current: TCurrentState = {
      userLinks: [
        { externalId: uuid("1"), userId: "u1", dn: "uid=alice,ou=people,dc=x", removedAt: null },
        { externalId: uuid("2"), userId: "u2", dn: "uid=bob,ou=people,dc=x", removedAt: null },
      ],
      groupLinks: [{ externalId: uuid("8"), groupId: "g8" }, { externalId: uuid("9"), groupId: "g9" }],
      users: [
        { id: "u1", username: "alice", displayName: "alice name", email: "alice@x.test", status: "active" },
        { id: "u2", username: "bob", displayName: "bob name", email: "bob@x.test", status: "active" },
      ],
      groups: [{ id: "g8", name: "eng", memberIds: ["u1", "u2"] }, { id: "g9", name: "sales", memberIds: [] }],
      linkedElsewhere: [],
    };
    const users = [user("alice", "1"), user("bob", "2", { name: b("b\u0000ob") })];
    const groups = [group("eng", "8", []), group("sales", "9", ["uid=alice,ou=people,dc=x", "uid=bob,ou=people,dc=x"])];
    const diff = computeSyncDiff({ read: { users, groups }, current, chosenGroupDns: ["cn=eng,ou=groups,dc=x", "cn=sales,ou=groups,dc=x"], mode: "none" });
    expect(diff.memberRemoves).toEqual([{ groupExternalId: uuid("8"), group: "eng", userId: "u1", username: "alice" }]);
    expect(diff.memberAdds).toEqual([{ groupExternalId: uuid("9"), group: "sales", username: "alice" }]);
    expect(diff.disables).toEqual([]);
    expect(diff.refused).toHaveLength(1);
  });
  it("an AD account disabled in userAccountControl is never created, disables its linked user, and is enabled again with the account; a garbled flag refuses", () => {
    const current: TCurrentState = {
      ...empty,
      userLinks: [
        { externalId: uuid("1"), userId: "u1", dn: "uid=bob,ou=people,dc=x", removedAt: null },
        { externalId: uuid("2"), userId: "u2", dn: "uid=dan,ou=people,dc=x", removedAt: new Date() },
        { externalId: uuid("3"), userId: "u3", dn: "uid=gil,ou=people,dc=x", removedAt: null },
      ],
      users: [
        { id: "u1", username: "bob", displayName: "bob name", email: "bob@x.test", status: "active" },
        { id: "u2", username: "dan", displayName: "dan name", email: "dan@x.test", status: "disabled" },
        { id: "u3", username: "gil", displayName: "gil name", email: "gil@x.test", status: "active" },
      ],
    };
    const users = [
      user("bob", "1", { accountControl: b("514") }), // NORMAL_ACCOUNT | ACCOUNTDISABLE
      user("dan", "2", { accountControl: b("66048") }), // NORMAL_ACCOUNT | DONT_EXPIRE_PASSWORD: enabled again
      user("gil", "3", { accountControl: b("512; DROP") }),
      user("new", "4", { accountControl: b("546") }), // disabled, never imported
      user("ok", "5"),
    ];
    const diff = computeSyncDiff({ read: { users, groups: [] }, current, chosenGroupDns: [], mode: "none" });
    expect(diff.disables).toEqual([{ externalId: uuid("1"), userId: "u1", username: "bob", why: "disabled in the directory" }]);
    expect(diff.enables).toEqual([{ externalId: uuid("2"), userId: "u2", username: "dan" }]);
    expect(diff.creates.map((row) => row.username)).toEqual(["ok"]);
    expect(diff.refused).toEqual([{ dn: "uid=gil,ou=people,dc=x", reason: "userAccountControl is not a number" }]);
  });

  it("an answer holding only disabled accounts disables those, never the users merely missing from it", () => {
    const current: TCurrentState = {
      ...empty,
      userLinks: [
        { externalId: uuid("1"), userId: "u1", dn: "uid=bob,ou=people,dc=x", removedAt: null },
        { externalId: uuid("2"), userId: "u2", dn: "uid=eve,ou=people,dc=x", removedAt: null },
      ],
      users: [
        { id: "u1", username: "bob", displayName: "bob name", email: "bob@x.test", status: "active" },
        { id: "u2", username: "eve", displayName: "eve name", email: "eve@x.test", status: "active" },
      ],
    };
    const diff = computeSyncDiff({ read: { users: [user("bob", "1", { accountControl: b("514") })], groups: [] }, current, chosenGroupDns: [], mode: "none" });
    expect(diff.disables).toEqual([{ externalId: uuid("1"), userId: "u1", username: "bob", why: "disabled in the directory" }]);
    expect(diff.warnings.map((row) => row.detail)).toEqual([expect.stringMatching(/no users in scope: only the accounts disabled there/)]);
  });
});
