import { z } from "zod";

// The API's certificate chain and key as one process of a host loaded them, for the others (worker IPC): apart from
// load-api-tls.ts so the supervising process validates it without loading the CA code.
export const ZApiTlsSchema = z.object({
  cert: z.string().startsWith("-----BEGIN CERTIFICATE-----"),
  key: z.string().regex(/-----BEGIN [A-Z ]*PRIVATE KEY-----/),
  names: z.array(z.string()),
  caFile: z.string().optional(),
  source: z.enum(["files", "generated"]),
});
export type TApiTls = z.infer<typeof ZApiTlsSchema>;
