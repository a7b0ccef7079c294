import type { TAliasWarning } from "@/lib/policy/find-alias-warnings";

// Above the form on purpose: these combinations let a second spelling of an account in without its second factor.
export function AliasWarnings({ warnings }: { warnings: TAliasWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <div className="banner warn" role="alert" data-testid="alias-warnings">
      <strong>Username aliases can bypass the second factor</strong>
      <ul style={{ margin: "6px 0 0", paddingLeft: 18 }}>
        {warnings.map((warning) => (
          <li key={warning.key} data-testid="alias-warning" style={{ marginBottom: 6 }}>
            <strong>{warning.scope}:</strong> {warning.text} {warning.remedy}
            {warning.affected.length > 0 && <div>Applications affected now: {warning.affected.join(", ")}.</div>}
          </li>
        ))}
      </ul>
    </div>
  );
}
