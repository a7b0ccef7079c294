type TBucket = { start: string; accepted: number; rejected: number };

// Stacked bars (accepted green under rejected red) as inline SVG: no chart library, readable at any width.
export function BarChart({ buckets, label, unit }: { buckets: TBucket[]; label: string; unit: "hour" | "day" }) {
  const width = 640;
  const height = 180;
  const pad = { left: 36, right: 8, top: 8, bottom: 22 };
  const max = Math.max(1, ...buckets.map((bucket) => bucket.accepted + bucket.rejected));
  const slot = (width - pad.left - pad.right) / Math.max(1, buckets.length);
  const scale = (value: number) => (value / max) * (height - pad.top - pad.bottom);
  const tick = (iso: string) => (unit === "hour" ? iso.slice(11, 13) : iso.slice(5, 10));
  return (
    <figure style={{ margin: 0 }}>
      <svg className="chart" viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={label}>
        <line x1={pad.left} x2={width - pad.right} y1={height - pad.bottom} y2={height - pad.bottom} stroke="#d0d5dd" />
        <text x={pad.left - 6} y={pad.top + 8} textAnchor="end">{max}</text>
        <text x={pad.left - 6} y={height - pad.bottom} textAnchor="end">0</text>
        {buckets.map((bucket, index) => {
          const x = pad.left + index * slot + slot * 0.15;
          const barWidth = slot * 0.7;
          const acceptedHeight = scale(bucket.accepted);
          const rejectedHeight = scale(bucket.rejected);
          const base = height - pad.bottom;
          const every = Math.ceil(buckets.length / 12);
          return (
            <g key={bucket.start}>
              <title>{`${bucket.start.slice(0, 16).replace("T", " ")} UTC: ${bucket.accepted} accepted, ${bucket.rejected} rejected`}</title>
              <rect x={x} y={base - acceptedHeight} width={barWidth} height={acceptedHeight} fill="#12b76a" />
              <rect x={x} y={base - acceptedHeight - rejectedHeight} width={barWidth} height={rejectedHeight} fill="#f04438" />
              {index % every === 0 && <text x={x + barWidth / 2} y={height - 6} textAnchor="middle">{tick(bucket.start)}</text>}
            </g>
          );
        })}
      </svg>
      <figcaption className="muted" style={{ fontSize: 13 }}>
        <span style={{ color: "#12b76a" }}>■</span> accepted <span style={{ color: "#f04438" }}>■</span> rejected · {label}
      </figcaption>
    </figure>
  );
}
