const CLASS: Record<string, string> = { active: "ok", bypass: "warn", disabled: "bad", locked_out: "bad" };
const LABEL: Record<string, string> = { active: "active", bypass: "bypass", disabled: "disabled", locked_out: "locked out" };

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge ${CLASS[status] ?? ""}`} data-testid="user-status">{LABEL[status] ?? status}</span>;
}
