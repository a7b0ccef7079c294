import { z } from "zod";

// Request parameter pieces shared by the endpoints' schemas (each endpoint file has its own object).
export const ZUsernameParamSchema = z.string().max(1024).optional();
export const ZUserIdParamSchema = z.string().max(64).optional();
export const ZIpAddrParamSchema = z.string().max(64).optional();
export const ZHostnameParamSchema = z.string().max(255).optional();
export const ZFlagParamSchema = z.enum(["0", "1", "true", "false"]).optional();
export const isSet = (flag: string | undefined): boolean => flag === "1" || flag === "true";
export const ZTxidParamSchema = z.string().min(1).max(64);
// Duo's pushinfo: URL-encoded pairs under 20 000 bytes, as Duo accepts (lib/duo-api/parse-push-info.ts bounds what is shown).
export const ZPushInfoParamSchema = z.string().max(20_000).optional();
