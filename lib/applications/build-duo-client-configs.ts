export type TDuoClientConfigOptions = { kind: "auth_api" | "admin_api"; ikey: string; host: string; port: number; caFile?: string };

// Copy-paste configuration for Duo's own clients pointed at Twofold (the ones the tests run: login_duo, duo_client,
// @duosecurity/duo_api). The secret key is never shown again, so it is a placeholder; the CA file is the one the
// console offers for download (or the admin's own CA).
export const buildDuoClientConfigs = ({ kind, ikey, host, port, caFile = "/etc/duo/twofold-ca.pem" }: TDuoClientConfigOptions): { title: string; text: string }[] => {
  const python = [
    "import duo_client",
    `client = duo_client.${kind === "admin_api" ? "Admin" : "Auth"}(ikey="${ikey}", skey="<secret key>",`,
    `                          host="${host}", port=${port}, ca_certs="${caFile}")`,
    kind === "admin_api" ? "print(client.get_authentication_log(api_version=2))" : 'print(client.preauth(username="alice"))',
  ].join("\n");
  // The npm client pins Duo's CAs and port 443 in each request; an agent's options override a request's in Node.
  const node = [
    'const https = require("https"), fs = require("fs"), duo = require("@duosecurity/duo_api");',
    `https.globalAgent = new https.Agent({ ca: fs.readFileSync("${caFile}"), port: ${port} });`,
    `const client = new duo.Client("${ikey}", "<secret key>", "${host}");`,
    kind === "admin_api"
      ? `client.jsonApiCall("GET", "/admin/v1/users", {}, console.log);`
      : `client.jsonApiCall("POST", "/auth/v2/preauth", { username: "alice" }, console.log);`,
  ].join("\n");
  if (kind === "admin_api") return [{ title: "Python (duo_client.Admin)", text: python }, { title: "Node.js (@duosecurity/duo_api)", text: node }];
  const loginDuo = ["[duo]", `ikey = ${ikey}`, "skey = <secret key>", `host = ${host}:${port}`, `cafile = ${caFile}`, "failmode = secure", "pushinfo = yes"].join("\n");
  return [
    { title: "pam_duo / login_duo (/etc/duo/pam_duo.conf or login_duo.conf, mode 600)", text: loginDuo },
    { title: "Python (duo_client.Auth)", text: python },
    { title: "Node.js (@duosecurity/duo_api)", text: node },
  ];
};
