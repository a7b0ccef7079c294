import { CopyButton } from "../forms/copy-button";

export type TApiEndpointCardProps = {
  endpoints: { host: string; port: number; inCertificate?: boolean }[];
  caAvailable: boolean;
  configs: { title: string; text: string }[];
  kind: "auth_api" | "admin_api";
};

// For Auth API / Admin API applications: where Duo's clients reach Twofold (the workers' HTTPS API), the CA file they
// need, and their configuration with this application's ikey.
export function ApiEndpointCard({ endpoints, caAvailable, configs, kind }: TApiEndpointCardProps) {
  return (
    <div className="card" data-testid="api-endpoint-card">
      <h2 style={{ marginTop: 0 }}>{kind === "admin_api" ? "Duo Admin API" : "Duo Auth API"} endpoint</h2>
      {endpoints.length === 0 ? (
        <p className="muted">No worker serving the API has reported in yet (TWOFOLD_API_PORT, default 8443).</p>
      ) : (
        <ul data-testid="api-endpoints">
          {endpoints.map((endpoint) => (
            <li key={`${endpoint.host}:${endpoint.port}`}>
              API host <code>{endpoint.host}</code> port <code>{endpoint.port}</code>
              {endpoint.inCertificate === false && <span className="muted"> — not in that worker&apos;s certificate: add it to TWOFOLD_API_NAMES</span>}
            </li>
          ))}
        </ul>
      )}
      <p className="muted">
        Clients check the host they are given against the worker&apos;s certificate. A generated one holds localhost, the worker&apos;s host name,
        127.0.0.1 and every name or IP address in TWOFOLD_API_NAMES (an address both as a DNS name and as an IP entry, so libduo&apos;s DNS-only
        check passes too).{" "}
        {caAvailable ? (
          <a href="/api/duo-api-ca" download data-testid="api-ca-download">
            Download the CA certificate
          </a>
        ) : (
          "The workers use a configured certificate: give clients its CA."
        )}
      </p>
      {configs.map((config) => (
        <div key={config.title}>
          <h3>{config.title}</h3>
          <pre>{config.text}</pre>
          <CopyButton text={config.text} label="Copy" />
        </div>
      ))}
    </div>
  );
}
