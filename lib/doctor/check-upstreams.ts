import { randomBytes } from "node:crypto";
import type { TPrisma } from "../db";
import { bytesAttribute, textAttributes } from "../radius/attributes";
import { Attr, RadiusCode } from "../radius/constants";
import { encryptPassword } from "../radius/password";
import { createRadiusSecret } from "../radius/radius-secret";
import { createUpstreamTransport, type TUpstreamTransport } from "../radius/upstream/create-upstream-transport";
import { decryptSecret } from "../secrets/envelope";
import { errorText, type TDoctorCheck } from "./doctor-types";

export const PROBE_USERNAME = "twofold-doctor";

const CODE_NAMES: Record<number, string> = { [RadiusCode.AccessAccept]: "Access-Accept", [RadiusCode.AccessReject]: "Access-Reject", [RadiusCode.AccessChallenge]: "Access-Challenge" };

type TServer = { name: string; host: string; port: number; secret: string | null; timeoutMs: number; retries: number; application: { name: string } | null };

// Status-Server (RFC 5997) asks "are you there" without logging anyone in. A verified reply of any code proves
// the server is up and shares our secret. Servers that ignore Status-Server (NPS does) can be asked instead with an
// Access-Request for a user that should not exist: its Access-Reject proves the same, and costs one failed login
// in the upstream's log.
const probe = async (options: { transport: TUpstreamTransport; server: TServer; accessProbe: boolean }): Promise<TDoctorCheck> => {
  const { server } = options;
  const name = `upstream ${server.name}${server.application ? ` (${server.application.name})` : " (global)"}`;
  const where = `${server.host}:${server.port}`;
  if (!server.secret) return { name, ok: false, detail: `${where}: no shared secret configured` };
  let secret;
  try {
    secret = createRadiusSecret(decryptSecret(server.secret));
  } catch (error) {
    return { name, ok: false, detail: `${where}: cannot decrypt its shared secret (${errorText(error)})` };
  }
  const target = { host: server.host, port: server.port, secret };
  const status = await options.transport.exchange({ target, code: RadiusCode.StatusServer, attributes: () => [], timeoutMs: server.timeoutMs, retries: server.retries });
  if (status.ok) return { name, ok: true, detail: `${where} answered Status-Server (${CODE_NAMES[status.packet.code] ?? `code ${status.packet.code}`}) in ${status.ms} ms` };
  if (!options.accessProbe) {
    return { name, ok: false, detail: `${where}: ${status.detail} to Status-Server (down, a wrong shared secret, or a server that ignores Status-Server: try --access-probe)` };
  }
  const access = await options.transport.exchange({
    target,
    code: RadiusCode.AccessRequest,
    attributes: (authenticator) => [
      ...textAttributes(Attr.UserName, PROBE_USERNAME),
      bytesAttribute(Attr.UserPassword, encryptPassword({ password: randomBytes(12), secret, authenticator })),
    ],
    timeoutMs: server.timeoutMs,
    retries: server.retries,
  });
  if (access.ok) return { name, ok: true, detail: `${where} ignored Status-Server, answered an Access-Request for ${PROBE_USERNAME} (${CODE_NAMES[access.packet.code] ?? access.packet.code}) in ${access.ms} ms` };
  return { name, ok: false, detail: `${where}: no answer to Status-Server nor to an Access-Request (${access.detail}): down, or a wrong shared secret` };
};

export const checkUpstreams = async (options: { prisma: TPrisma; accessProbe?: boolean }): Promise<TDoctorCheck[]> => {
  let servers: TServer[];
  try {
    servers = await options.prisma.primaryAuthServer.findMany({
      where: { kind: "radius" },
      omit: { secret: false },
      include: { application: { select: { name: true } } },
      orderBy: [{ applicationId: "asc" }, { position: "asc" }],
    });
  } catch (error) {
    return [{ name: "upstream servers", ok: false, detail: errorText(error) }];
  }
  if (servers.length === 0) return [{ name: "upstream servers", ok: true, detail: "no upstream RADIUS server configured" }];
  const transport = await createUpstreamTransport();
  try {
    // All at once: a dead server's timeout and retries are paid once, not once per server.
    return await Promise.all(servers.map((server) => probe({ transport, server, accessProbe: options.accessProbe ?? false })));
  } finally {
    await transport.close();
  }
};
