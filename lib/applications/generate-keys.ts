import { randomInt } from "node:crypto";

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const MIXED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

const randomString = (alphabet: string, length: number): string => Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join("");

// ikey: public identifier, 20 upper-case characters ("DI" + 18, like Duo's integration keys so admins recognise it).
export const generateIkey = (): string => `DI${randomString(UPPER, 18)}`;

// skey: 40 characters, ~238 bits; shown once at creation and on rotation, stored only encrypted.
export const generateSkey = (): string => randomString(MIXED, 40);
