export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="muted" style={{ padding: "24px 0" }}>
      Loading…
    </div>
  );
}
