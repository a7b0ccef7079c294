import { cookies, headers } from "next/headers";
import { isTlsRequest } from "@/lib/http/security-headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { prisma } from "@/lib/db";
import { resolveAdminSession } from "@/lib/auth/resolve-admin-session";
import { roleHasPermission, type TPermission } from "@/lib/auth/permissions";
import { actorOf, type TActor, type TAdminSession } from "@/lib/auth/types";
import { SESSION_COOKIE } from "@/lib/auth/session-policy";
import { readTrustedProxies } from "@/lib/env/server-env";
import type { TCidr } from "@/lib/net/cidr";
import { PEER_ADDRESS_HEADER, readPeerAddress } from "@/lib/net/peer-address-header";
import { resolveClientAddress } from "@/lib/net/resolve-client-address";

// One lookup per request, however many components ask.
export const getSession = cache(async (): Promise<TAdminSession | undefined> => {
  const store = await cookies();
  return resolveAdminSession({ prisma, token: store.get(SESSION_COOKIE)?.value });
});

let trustedProxies: TCidr[] | undefined;

// The throttle key and the audit log's address: the TCP peer, or what a configured proxy reports (TWOFOLD_TRUSTED_PROXIES).
export const requestIp = async (): Promise<string | undefined> => {
  const list = await headers();
  trustedProxies ??= readTrustedProxies();
  const peerAddress = readPeerAddress({ header: list.get(PEER_ADDRESS_HEADER) });
  return resolveClientAddress({ peerAddress, forwardedFor: list.get("x-forwarded-for"), trustedProxies });
};

export const getActor = async (session: TAdminSession): Promise<TActor> => actorOf(session, await requestIp());

export const isHttps = async (): Promise<boolean> => {
  const list = await headers();
  return isTlsRequest({ forwardedProto: list.get("x-forwarded-proto"), publicUrl: process.env.TWOFOLD_PUBLIC_URL });
};

// Pages: no session → sign in; a role without the read permission gets the forbidden page, not the data.
export const requirePageSession = async (permission?: TPermission): Promise<TAdminSession> => {
  const session = await getSession();
  if (!session) redirect("/sign-in");
  if (permission && !roleHasPermission(session.role, permission)) redirect(`/forbidden?need=${encodeURIComponent(permission)}`);
  return session;
};
