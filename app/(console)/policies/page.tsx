import Link from "next/link";
import { prisma } from "@/lib/db";
import { roleHasPermission } from "@/lib/auth/permissions";
import { getGlobalPolicy, getEffectiveGlobalPolicy, listPolicyOverrides } from "@/lib/policy/get-policies";
import { describeOverride } from "@/lib/policy/describe-override";
import { loadAliasWarnings } from "@/lib/policy/load-alias-warnings";
import { POLICY_FIELD_HELP, POLICY_FIELD_LABELS } from "@/lib/policy/policy-fields";
import { PolicyForm } from "@/components/policies/policy-form";
import { AliasWarnings } from "@/components/policies/alias-warnings";
import { effectiveAsDefaults } from "@/components/policies/policy-defaults";
import { requirePageSession } from "../../_server/session";
import { saveGlobalPolicyAction } from "./actions";
import { pageTitle } from "@/app/_server/page-title";

export const metadata = pageTitle("Policies");

export default async function PoliciesPage() {
  const session = await requirePageSession("policy:read");
  const [global, effective, overrides, aliasWarnings] = await Promise.all([
    getGlobalPolicy({ prisma }),
    getEffectiveGlobalPolicy({ prisma }),
    listPolicyOverrides({ prisma }),
    loadAliasWarnings({ prisma }),
  ]);
  const defaults = effectiveAsDefaults(effective);
  return (
    <>
      <h1>Policies</h1>
      <p className="muted">The global policy applies to every application unless the application overrides a field. Changes reach the workers within a second.</p>
      <AliasWarnings warnings={aliasWarnings} />
      <div className="grid-2">
        <div className="card">
          <h2 style={{ marginTop: 0 }}>Global policy</h2>
          {!global && <p className="muted">Not saved yet: the built-in defaults shown below apply.</p>}
          {roleHasPermission(session.role, "policy:write") ? (
            <PolicyForm action={saveGlobalPolicyAction} mode="global" defaults={global ? { ...global, ...pickLists(global, defaults) } : defaults} effective={defaults} />
          ) : (
            <dl>
              {(Object.keys(POLICY_FIELD_LABELS) as (keyof typeof POLICY_FIELD_LABELS)[]).map((key) => (
                <div key={key} style={{ marginBottom: 8 }}>
                  <dt><strong>{POLICY_FIELD_LABELS[key]}</strong>: {String(effective[key])}</dt>
                  <dd className="muted" style={{ margin: 0 }}>{POLICY_FIELD_HELP[key]}</dd>
                </div>
              ))}
            </dl>
          )}
        </div>
        <div className="card">
          <h2 style={{ marginTop: 0 }}>Application overrides</h2>
          {overrides.length === 0 && <p className="muted">No application overrides the global policy.</p>}
          <ul data-testid="policy-overrides">
            {overrides.map((row) => {
              const changes = describeOverride(row);
              return (
                <li key={row.id} style={{ marginBottom: 8 }}>
                  <Link href={`/applications/${row.application?.id ?? ""}`}>{row.application?.name}</Link>
                  {changes.length === 0 ? <span className="muted"> inherits everything</span> : <ul>{changes.map((change) => <li key={change}>{change}</li>)}</ul>}
                </li>
              );
            })}
          </ul>
        </div>
      </div>
    </>
  );
}

// The global row stores empty lists as "all factors" / "no networks"; show what applies.
const pickLists = (global: { allowedFactors: string[]; authorizedNetworks: string[] }, defaults: { allowedFactors: string[] }) => ({
  allowedFactors: global.allowedFactors.length ? global.allowedFactors : defaults.allowedFactors,
  allowedFactorsInherit: false,
  authorizedNetworksInherit: false,
});
