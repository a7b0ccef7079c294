import { z } from "zod";
import type { TPrisma } from "../db";
import { AppError } from "../errors/app-error";
import { parseInput } from "../api/parse-input";
import { decryptSecret } from "../secrets/envelope";
import { authenticateLdap } from "./ldap";
import { authenticateUpstream } from "../radius/upstream/authenticate-upstream";
import { createUpstreamTransport } from "../radius/upstream/create-upstream-transport";
import { createHoldDown } from "../radius/upstream/hold-down";
import type { TPrimaryResult } from "./types";

const ZTestInputSchema = z.object({
  username: z.string().trim().min(1, "Type a test username"),
  password: z.string().min(1, "Type the test user's password"),
});

const describe = (result: TPrimaryResult): string => {
  switch (result.outcome) {
    case "accept":
      return `Accepted in ${result.ms} ms${result.groups.length ? `; groups: ${result.groups.join(", ")}` : ""}${result.attributes.length ? `; ${result.attributes.length} attribute(s) returned` : ""}`;
    case "reject":
      return `Rejected in ${result.ms} ms${result.replyMessage ? `: ${result.replyMessage}` : " (wrong password or unknown user)"}`;
    case "challenge":
      return `Answered with Access-Challenge in ${result.ms} ms${result.replyMessage ? `: ${result.replyMessage}` : ""}`;
    default:
      return `${result.outcome === "timeout" ? "No answer" : "Error"} after ${result.ms} ms: ${result.detail}`;
  }
};

// The admin's "test" button: one real Access-Request (RADIUS) or bind-and-search (LDAP) with a user they type, and the
// exact outcome back. The typed password is used once and never stored or logged.
export const testPrimaryAuthServer = async (options: { prisma: TPrisma; id: string; input: unknown }): Promise<{ ok: boolean; message: string }> => {
  const input = parseInput(ZTestInputSchema, options.input);
  const server = await options.prisma.primaryAuthServer.findUnique({ where: { id: options.id }, omit: { secret: false } });
  if (!server) throw new AppError("NOT_FOUND", "That server no longer exists");
  const secret = server.secret ? decryptSecret(server.secret) : null;
  const request = { username: input.username.toLowerCase(), usernameRaw: input.username, password: Buffer.from(input.password, "utf8"), forwardAttributes: [] };
  let result: TPrimaryResult;
  if (server.kind === "ldap") {
    const tlsMode = server.tlsMode === "ldaps" || server.tlsMode === "starttls" ? server.tlsMode : "none";
    result = await authenticateLdap({ server: { ...server, secret, tlsMode }, request });
  } else {
    const transport = await createUpstreamTransport();
    try {
      result = await authenticateUpstream({
        transport,
        servers: [{ id: server.id, name: server.name, host: server.host, port: server.port, secret, timeoutMs: server.timeoutMs, retries: server.retries }],
        holdDown: createHoldDown({ holdMs: 0 }),
        request,
      });
    } finally {
      await transport.close();
    }
  }
  return { ok: result.outcome === "accept" || result.outcome === "reject" || result.outcome === "challenge", message: describe(result) };
};
