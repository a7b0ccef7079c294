import type { TAddressOverlap } from "@/lib/radius-clients/find-address-overlaps";

// Overlapping (nested) prefixes are allowed — a /32 for one ASA inside a /24 for the rest is a real layout — but who
// answers which addresses is not obvious, so every page that lists or edits clients says it.
export function AddressOverlaps({ overlaps }: { overlaps: TAddressOverlap[] }) {
  if (overlaps.length === 0) return null;
  return (
    <div className="banner warn" role="status" data-testid="address-overlaps">
      <strong>Overlapping addresses.</strong>
      <ul style={{ margin: "4px 0 0", paddingLeft: 20 }}>
        {overlaps.map((overlap) => (
          <li key={`${overlap.narrower.id}:${overlap.broader.id}`}>{overlap.message}</li>
        ))}
      </ul>
    </div>
  );
}
