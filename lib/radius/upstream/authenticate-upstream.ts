import type { TPrimaryRequest, TPrimaryResult, TRadiusAttribute } from "../../primary-auth/types";
import { bytesAttribute, textAttributes } from "../attributes";
import { Attr, RadiusCode } from "../constants";
import { readMschapReply } from "../mschap/read-mschap-reply";
import { encryptPassword } from "../password";
import { createRadiusSecret, secretBytes, type TRadiusSecret } from "../radius-secret";
import type { THoldDown } from "./hold-down";
import type { TUpstreamTransport } from "./create-upstream-transport";
import { forwardableAttributes } from "./forwardable-attributes";

// `radiusSecret`: the secret prepared once at snapshot load (lib/radius/radius-secret.ts); built here when absent.
export type TUpstreamServer = { id: string; name: string; host: string; port: number; secret: string | null; radiusSecret?: TRadiusSecret; timeoutMs: number; retries: number };

const ipv4 = (text: string): Buffer | undefined => {
  const parts = text.split(".").map(Number);
  return parts.length === 4 && parts.every((part) => Number.isInteger(part) && part >= 0 && part <= 255) ? Buffer.from(parts) : undefined;
};

const buildAttributes = (request: TPrimaryRequest, secret: TRadiusSecret, authenticator: Buffer): TRadiusAttribute[] => {
  const attributes: TRadiusAttribute[] = [...textAttributes(Attr.UserName, request.usernameRaw).slice(0, 1)];
  // MS-CHAPv2 carries no password: its challenge and response go up as the NAS sent them.
  if (request.mschap) attributes.push(...request.mschap.attributes);
  else if (request.eap) attributes.push(...request.eap.attributes);
  else attributes.push(bytesAttribute(Attr.UserPassword, encryptPassword({ password: request.password, secret, authenticator })));
  const nasIp = request.nasIp ? ipv4(request.nasIp) : undefined;
  if (nasIp) attributes.push(bytesAttribute(Attr.NasIpAddress, nasIp));
  if (request.nasIdentifier) attributes.push(...textAttributes(Attr.NasIdentifier, request.nasIdentifier).slice(0, 1));
  if (request.callingStationId) attributes.push(...textAttributes(Attr.CallingStationId, request.callingStationId).slice(0, 1));
  if (request.calledStationId) attributes.push(...textAttributes(Attr.CalledStationId, request.calledStationId).slice(0, 1));
  if (request.upstreamState) attributes.push(bytesAttribute(Attr.State, request.upstreamState));
  // The rest of what the NAS sent, as it sent it. User-Name is the one above (usernameRaw), never a second copy.
  const carried = new Set<number>([Attr.UserName, Attr.NasIpAddress, Attr.NasIdentifier, Attr.CallingStationId, Attr.CalledStationId]);
  for (const attr of forwardableAttributes({ attributes: request.forwardAttributes })) if (!carried.has(attr.type)) attributes.push(attr);
  return attributes;
};

const replyText = (attributes: TRadiusAttribute[]): string | undefined => {
  const parts = attributes.filter((attr) => attr.type === Attr.ReplyMessage).map((attr) => attr.value.toString("utf8"));
  return parts.length > 0 ? parts.join("") : undefined;
};

// Primary authentication against ISE/NPS: servers in order, the held-down ones last; the first server that answers
// decides. Only silence moves on to the next server — a reject from the first is final. A request pinned to one server
// (an MS-CHAPv2 password change) is sent to it alone: another server would see a change it never asked for.
export const authenticateUpstream = async (options: {
  transport: TUpstreamTransport;
  servers: readonly TUpstreamServer[];
  holdDown: THoldDown;
  request: TPrimaryRequest;
}): Promise<TPrimaryResult> => {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const usable = options.servers.filter((server) => server.secret);
  if (usable.length === 0) return { outcome: "error", ms: 0, detail: "no upstream RADIUS server with a secret is configured" };
  const pinnedId = options.request.mschap?.serverId ?? options.request.eap?.serverId;
  const pinned = usable.filter((server) => server.id === pinnedId);
  const ordered = [...usable.filter((server) => !options.holdDown.isDown(server.id)), ...usable.filter((server) => options.holdDown.isDown(server.id))];
  const failures: string[] = [];
  for (const server of pinned.length > 0 ? pinned : ordered) {
    const secret = server.radiusSecret ?? createRadiusSecret(server.secret ?? "");
    let sent: Buffer = Buffer.alloc(16); // the Request Authenticator: MS-MPPE keys in the answer are hidden with it
    const result = await options.transport.exchange({
      target: { host: server.host, port: server.port, secret },
      code: RadiusCode.AccessRequest,
      attributes: (authenticator) => {
        sent = authenticator;
        return buildAttributes(options.request, secret, authenticator);
      },
      timeoutMs: server.timeoutMs,
      retries: server.retries,
    });
    if (!result.ok) {
      options.holdDown.markDown(server.id);
      failures.push(`${server.name}: ${result.detail}`);
      continue;
    }
    options.holdDown.markUp(server.id);
    let attributes = result.packet.attributes.filter((attr) => attr.type !== Attr.MessageAuthenticator && attr.type !== Attr.ProxyState);
    // EAP's final Accept carries the MPPE keys (the MSK) exactly as an MS-CHAPv2 one does.
    const mschap = options.request.mschap || options.request.eap ? readMschapReply({ attributes, secret: secretBytes(secret), authenticator: sent }) : undefined;
    if (mschap && !mschap.ok) return { outcome: "error", ms: ms(), detail: `${server.name}: ${mschap.detail}` };
    if (mschap) attributes = mschap.rest;
    const answered = { ms: ms(), server: server.name, serverId: server.id, ...(mschap ? { mschap: mschap.reply } : {}) };
    switch (result.packet.code) {
      case RadiusCode.AccessAccept: {
        // ISE/NPS name the account they authenticated here (often rewritten: "alice" for "CORP\\ALICE "): that is who
        // Twofold's second factor is for. Kept in the attributes too: the NAS may need it back.
        const userName = attributes.find((attr) => attr.type === Attr.UserName)?.value;
        const identity = userName && userName.length > 0 ? userName.toString("utf8") : undefined;
        return { outcome: "accept", attributes, groups: [], identity, ...answered };
      }
      case RadiusCode.AccessReject:
        return { outcome: "reject", replyMessage: replyText(attributes), ...answered };
      case RadiusCode.AccessChallenge: {
        const state = attributes.find((attr) => attr.type === Attr.State)?.value;
        if (!state) return { outcome: "error", ms: ms(), detail: `${server.name} sent Access-Challenge without State` };
        return { outcome: "challenge", attributes: attributes.filter((attr) => attr.type !== Attr.State), state, replyMessage: replyText(attributes), ms: ms(), server: server.name, serverId: server.id };
      }
      default:
        failures.push(`${server.name}: unexpected reply code ${result.packet.code}`);
    }
  }
  return { outcome: "timeout", ms: ms(), detail: failures.join("; ") };
};
