import { hash, verify } from "@node-rs/argon2";

// @node-rs/argon2 defaults to argon2id; the parameters are the OWASP-recommended minimum (19 MiB, 2 passes).
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const ADMIN_PASSWORD_MIN_LENGTH = 12;

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

export const verifyPassword = async (options: { passwordHash: string; password: string }): Promise<boolean> => {
  try {
    return await verify(options.passwordHash, options.password);
  } catch {
    // A malformed stored hash must read as "wrong password", never as a crash that leaks which accounts exist.
    return false;
  }
};
