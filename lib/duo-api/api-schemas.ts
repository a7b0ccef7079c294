import { z } from "zod";

// Request parameter pieces shared by the endpoints' schemas (each endpoint file has its own object).
export const ZUsernameParamSchema = z.string().max(1024).optional();
export const ZUserIdParamSchema = z.string().max(64).optional();
export const ZIpAddrParamSchema = z.string().max(64).optional();
export const ZHostnameParamSchema = z.string().max(255).optional();
export const ZFlagParamSchema = z.enum(["0", "1", "true", "false"]).optional();
export const isSet = (flag: string | undefined): boolean => flag === "1" || flag === "true";
export const ZTxidParamSchema = z.string().min(1).max(64);
