import { SYSLOG_FACILITIES, type TSiemFacility } from "./siem-target-schema";
import type { TSiemRecord } from "./to-siem-record";

// An IANA Private Enterprise Number is needed for an SD-ID of our own (RFC 5424 §7.2.2); 32473 is the one RFC 5612
// reserves for examples and documentation, until Twofold registers its own.
export const SD_ID = "twofold@32473";

// RFC 5424 §6.3.3: inside a PARAM-VALUE, '"', '\' and ']' are escaped.
const sdValue = (text: string) => text.replace(/[\\"\]]/g, (char) => `\\${char}`);
// HOSTNAME and APP-NAME are PRINTUSASCII without spaces (§6.2.4); anything else would break the header.
const headerToken = (text: string, max: number) => text.replace(/[^\x21-\x7e]/g, "_").slice(0, max) || "-";

// JSON.stringify escapes C0 controls but leaves U+0085, U+2028 and U+2029, which many line readers (Python's
// splitlines, some log shippers) treat as line ends: escaped too, so one event is always one line.
export const oneLineJson = (value: unknown): string =>
  JSON.stringify(value).replace(/[\u0085\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);

// One RFC 5424 message (without transport framing): header, one structured-data element with the ids a receiver
// dedupes on, and the Duo-shaped JSON as MSG. JSON.stringify escapes every control character, so a hostile username
// cannot end the message or forge a second one.
export const formatSyslogMessage = (options: { record: TSiemRecord; facility: TSiemFacility; hostname: string }): string => {
  const { record } = options;
  const pri = SYSLOG_FACILITIES.indexOf(options.facility) * 8 + record.severity;
  const params = [`stream="${record.stream}"`, `id="${record.id}"`, `xact="${record.xactId}"`, ...(record.eventId ? [`eventId="${sdValue(record.eventId)}"`] : [])];
  return `<${pri}>1 ${record.time.toISOString()} ${headerToken(options.hostname, 255)} twofold - ${record.msgid} [${SD_ID} ${params.join(" ")}] ${oneLineJson(record.body)}`;
};

// RFC 6587 §3.4.1 octet counting (also RFC 5425's framing over TLS): the length is in bytes of UTF-8.
export const octetCounted = (message: string): Buffer => {
  const body = Buffer.from(message, "utf8");
  return Buffer.concat([Buffer.from(`${body.length} `, "ascii"), body]);
};

// The file target: one JSON object per line, the ids beside the Duo fields.
export const formatJsonLine = (record: TSiemRecord): string =>
  `${oneLineJson({ ...record.body, siem: { stream: record.stream, id: String(record.id), xact: String(record.xactId), ...(record.eventId ? { eventId: record.eventId } : {}) } })}\n`;
