import { randomBytes } from "node:crypto";
import { verify } from "@node-rs/argon2";
import { hashPassword } from "../auth/password";
import type { TPrisma } from "../db";
import type { TPrimaryResult } from "./types";

// Hashed once per process with the same parameters as real hashes, so "no such user" costs what "wrong password" costs.
let dummyHash: Promise<string> | undefined;
const getDummyHash = () => (dummyHash ??= hashPassword(randomBytes(16).toString("hex")));

// Primary authentication against User.passwordHash (argon2id). Unknown user, no local password, empty password and
// wrong password all answer "reject" after one argon2 verification, so timing does not reveal which it was.
export const authenticateLocal = async (options: { prisma: TPrisma; username: string; password: Buffer | string }): Promise<TPrimaryResult> => {
  const started = performance.now();
  const password = typeof options.password === "string" ? Buffer.from(options.password, "utf8") : options.password;
  const user = await options.prisma.user.findUnique({
    where: { username: options.username },
    omit: { passwordHash: false },
    include: { groups: { include: { group: { select: { name: true } } } } },
  });
  const storedHash = user?.passwordHash ?? null;
  let ok = false;
  try {
    ok = await verify(storedHash ?? (await getDummyHash()), password);
  } catch {
    ok = false; // a malformed stored hash reads as a wrong password
  }
  const ms = Math.round(performance.now() - started);
  if (!ok || !user || storedHash === null || password.length === 0) return { outcome: "reject", ms };
  return { outcome: "accept", attributes: [], groups: user.groups.map((membership) => membership.group.name).sort(), identity: user.username, ms };
};
