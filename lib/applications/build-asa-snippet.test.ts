import { describe, expect, it } from "vitest";
import { buildAsaSnippet } from "./build-asa-snippet";

describe("buildAsaSnippet and MS-CHAPv2", () => {
  it("says mschapv2-capable, with password management, only when the application relays MS-CHAPv2 upstream", () => {
    const relaying = buildAsaSnippet({ applicationName: "VPN", workerAddresses: ["10.0.0.5", "10.0.0.6"], relaysMschapv2: true });
    expect(relaying.match(/^ mschapv2-capable$/gm)).toHaveLength(2);
    expect(relaying).not.toContain("no mschapv2-capable");
    expect(relaying).toContain(" authentication-server-group TWOFOLD-VPN\n password-management\n");
    const local = buildAsaSnippet({ applicationName: "VPN", workerAddresses: ["10.0.0.5"] });
    expect(local.match(/^ no mschapv2-capable$/gm)).toHaveLength(1);
    expect(local).not.toContain("password-management");
  });
});
