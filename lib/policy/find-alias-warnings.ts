import type { TEffectivePolicy } from "./policy-schemas";

type TAliasFields = Pick<TEffectivePolicy, "newUserPolicy" | "usernameNormalization">;
type TPrimaryAuthMode = "radius" | "ldap" | "local" | "none";

export type TAliasWarningApplication = {
  id: string;
  name: string;
  primaryAuthMode: TPrimaryAuthMode;
  effective: TAliasFields; // global row and this application's override resolved
  overridesAliasFields: boolean; // the override sets the new-user policy or the normalization itself
};

export type TAliasWarning = {
  key: string;
  scope: string; // "Global policy" or the application's name
  text: string; // what goes wrong, with the example
  remedy: string; // what to choose instead
  affected: string[]; // applications exposed through this scope
};

// LDAP/AD resolves the entry's canonical attribute and local users are looked up by their own row, so an alias maps
// back to the account there. Upstream RADIUS does only when its Access-Accept carries User-Name, which the console
// cannot know; with no primary the typed name is all there is.
const EXPOSED_MODES = new Set<TPrimaryAuthMode>(["radius", "none"]);
const MODE_LABEL: Record<TPrimaryAuthMode, string> = { radius: "upstream RADIUS", none: "no primary", ldap: "LDAP/AD", local: "local users" };

const consequence = (policy: TAliasFields["newUserPolicy"]) =>
  policy === "allow_without_2fa"
    ? "the new-user policy Allow access without 2FA lets them in on the password alone"
    : "the new-user policy Require enrollment sends them an enrollment link, so whoever knows alice's password enrolls their own authenticator for her account";

const isExposed = (fields: TAliasFields) => fields.usernameNormalization === "none" && fields.newUserPolicy !== "deny";

const text = (fields: TAliasFields) =>
  "Username normalization is None, so each spelling is its own Twofold user: when the primary does not return the " +
  "account's canonical name (upstream RADIUS without User-Name in its Access-Accept, or no primary), DOMAIN\\alice and " +
  `alice@corp pass alice's password check as new users with no second factor, and ${consequence(fields.newUserPolicy)}.`;

const REMEDY =
  "Choose Strip domain normalization (CORP\\alice and alice@corp become alice), or the new-user policy Deny access and " +
  "enroll users beforehand (import or enrollment links). Applications with LDAP/AD or local primary authentication resolve the account's own name and are not exposed.";

// The combinations of normalization and new-user policy that let a second spelling of an account in without its
// factor, for the Policies page. The global policy is reported even when no exposed application inherits it yet:
// a new application starts with upstream RADIUS primary and the global policy.
export const findAliasWarnings = (options: { global: TAliasFields; applications: readonly TAliasWarningApplication[] }): TAliasWarning[] => {
  const exposed = options.applications.filter((app) => EXPOSED_MODES.has(app.primaryAuthMode) && isExposed(app.effective));
  const warnings: TAliasWarning[] = [];
  if (isExposed(options.global)) {
    const inheriting = exposed.filter((app) => !app.overridesAliasFields).map((app) => `${app.name} (${MODE_LABEL[app.primaryAuthMode]})`);
    warnings.push({ key: "global", scope: "Global policy", text: text(options.global), remedy: REMEDY, affected: inheriting });
  }
  for (const app of exposed.filter((candidate) => candidate.overridesAliasFields)) {
    warnings.push({ key: `application:${app.id}`, scope: app.name, text: text(app.effective), remedy: REMEDY, affected: [`${app.name} (${MODE_LABEL[app.primaryAuthMode]})`] });
  }
  return warnings;
};
