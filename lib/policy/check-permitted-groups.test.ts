import { describe, expect, it } from "vitest";
import { checkPermittedGroups, type TCheckPermittedGroupsOptions } from "./check-permitted-groups";

const vpn = { id: "g-vpn", name: "VPN-Users" };
const check = (over: Partial<TCheckPermittedGroupsOptions>) =>
  checkPermittedGroups({ permittedGroups: [vpn], user: undefined, unreadable: false, directoryGroups: [], directoryNamesGroups: false, ...over });

// The one verdict RADIUS (lib/auth-flow/authenticate-access-request.ts) and the Duo API (lib/duo-api/run-api-decision.ts)
// both use; each path's own test drives it end to end (reason-messages-over-radius.test.ts, auth-api-npm.test.ts).
describe("checkPermittedGroups", () => {
  it("lets in anyone without permitted groups, a Twofold member, and a directory member by group name", () => {
    expect(check({ permittedGroups: [] })).toEqual({ ok: true });
    expect(check({ user: { groupIds: ["g-vpn"] } })).toEqual({ ok: true });
    expect(check({ directoryGroups: ["vpn-users"], directoryNamesGroups: true })).toEqual({ ok: true });
  });

  it("says what is known: unknown without a user, not permitted with one or when a directory named the groups, an error when unreadable", () => {
    expect(check({})).toEqual({ ok: false, reason: "unknown_user" });
    expect(check({ user: { groupIds: ["g-other"] } })).toEqual({ ok: false, reason: "user_not_in_permitted_group" });
    expect(check({ directoryGroups: ["staff"], directoryNamesGroups: true })).toEqual({ ok: false, reason: "user_not_in_permitted_group" });
    expect(check({ unreadable: true })).toEqual({ ok: false, reason: "error", detail: "user unreadable: Twofold group membership unknown" });
    // A directory's group still lets an unreadable user in: the membership is known without Twofold's row.
    expect(check({ unreadable: true, directoryGroups: ["VPN-Users"], directoryNamesGroups: true })).toEqual({ ok: true });
  });
});
