import type { UserStatus } from "../db";

export type TStatusEdit = { kind: "keep" } | { kind: "set"; status: UserStatus } | { kind: "conflict"; current: UserStatus; loaded?: UserStatus };

// What a console save does to the status. The form sends the status it was opened with (loaded) next to the one
// chosen: the same means the admin left it alone, and the row's status now (current, read under its lock) stays,
// whatever happened meanwhile (a lockout, a fraud report, a disable). A change is a compare-and-set against loaded:
// if the row moved since, the admin decided on a status that is no longer there and must see the new one first.
// A form without loaded (opened before this field existed) can change nothing it cannot compare.
export const decideStatusEdit = (options: { submitted?: UserStatus; loaded?: UserStatus; current: UserStatus }): TStatusEdit => {
  const { submitted, loaded, current } = options;
  if (submitted === undefined || submitted === loaded) return { kind: "keep" };
  if (loaded === undefined) return submitted === current ? { kind: "keep" } : { kind: "conflict", current };
  // Already where the admin wants it: write it anyway, so a chosen "active" also clears the failure counter.
  if (current === loaded || current === submitted) return { kind: "set", status: submitted };
  return { kind: "conflict", current, loaded };
};
