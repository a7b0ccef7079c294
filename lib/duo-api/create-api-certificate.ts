import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { isIP } from "node:net";
import { bitString, boolean, explicit, integer, octetString, oid, sequence, set, smallInteger, time, tlv, utf8String } from "./der";

const OID = {
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  subjectAltName: "2.5.29.17",
  subjectKeyId: "2.5.29.14",
  authorityKeyId: "2.5.29.35",
} as const;

export type TKeyPair = { privateKey: KeyObject; publicKey: KeyObject };
export type TIssuedCertificate = { certPem: string; keyPem: string };

const pem = (label: string, der: Buffer) => `-----BEGIN ${label}-----\n${der.toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "")}\n-----END ${label}-----\n`;
const name = (commonName: string) => sequence(set(sequence(oid(OID.organization), utf8String("Twofold"))), set(sequence(oid(OID.commonName), utf8String(commonName))));
const extension = (id: string, critical: boolean, value: Buffer) => sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
// RFC 5280 method 1: SHA-1 of the subjectPublicKey bits (the EC point).
const keyId = (publicKey: KeyObject) => {
  const jwk = publicKey.export({ format: "jwk" });
  return createHash("sha1").update(Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x ?? "", "base64url"), Buffer.from(jwk.y ?? "", "base64url")])).digest();
};

export const createKeyPair = (): TKeyPair => generateKeyPairSync("ec", { namedCurve: "P-256" });

type TCertificateOptions = {
  subject: string;
  subjectKey: KeyObject; // public
  issuer: string;
  issuerKey: TKeyPair;
  ca: boolean;
  names?: readonly string[]; // DNS names and IP addresses for the subjectAltName
  notBefore: Date;
  notAfter: Date;
};

// "2001:db8::1" → its 16 bytes (isIP has checked the text).
const ipv6Bytes = (address: string): Buffer => {
  // An embedded IPv4 tail ("::ffff:192.0.2.1") is the last two groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  const group = (high: string | undefined, low: string | undefined) => ((Number(high) << 8) | Number(low)).toString(16);
  const text = v4 ? `${address.slice(0, v4.index)}${group(v4[1], v4[2])}:${group(v4[3], v4[4])}` : address;
  const [head = "", tail] = text.split("::");
  const groups = (part = "") => (part ? part.split(":") : []);
  const all = tail === undefined ? groups(head) : [...groups(head), ...Array<string>(8 - groups(head).length - groups(tail).length).fill("0"), ...groups(tail)];
  const bytes = Buffer.alloc(16);
  all.forEach((part, index) => bytes.writeUInt16BE(parseInt(part, 16), index * 2));
  return bytes;
};

// Each name a dNSName; an address also an iPAddress. libduo 1.x (login_duo, pam_duo) matches the host, address or
// not, against dNSNames only and then the CN; Python's ssl and newer libduo match an address against iPAddress.
const subjectAltName = (names: readonly string[]) =>
  sequence(
    ...names.flatMap((entry) => {
      const dns = tlv(0x82, Buffer.from(entry, "ascii"));
      if (isIP(entry) === 4) return [dns, tlv(0x87, Buffer.from(entry.split(".").map(Number)))];
      if (isIP(entry) === 6) return [dns, tlv(0x87, ipv6Bytes(entry))];
      return [dns];
    }),
  );

// An ECDSA P-256 X.509 v3 certificate signed by issuerKey.
export const createCertificate = (options: TCertificateOptions): Buffer => {
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const algorithm = sequence(oid(OID.ecdsaWithSha256));
  const extensions = [
    extension(OID.basicConstraints, true, options.ca ? sequence(boolean(true)) : sequence()),
    // CA: keyCertSign + cRLSign; server: digitalSignature (ECDHE key exchange).
    extension(OID.keyUsage, true, options.ca ? bitString(Buffer.from([0x06]), 1) : bitString(Buffer.from([0x80]), 7)),
    extension(OID.subjectKeyId, false, octetString(keyId(options.subjectKey))),
    extension(OID.authorityKeyId, false, sequence(tlv(0x80, keyId(options.issuerKey.publicKey)))),
    ...(options.ca ? [] : [extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth))), extension(OID.subjectAltName, false, subjectAltName(options.names ?? []))]),
  ];
  const tbs = sequence(
    explicit(0, smallInteger(2)),
    integer(serial),
    algorithm,
    name(options.issuer),
    sequence(time(options.notBefore), time(options.notAfter)),
    name(options.subject),
    options.subjectKey.export({ type: "spki", format: "der" }),
    explicit(3, sequence(...extensions)),
  );
  const signature = sign("sha256", tbs, options.issuerKey.privateKey);
  return sequence(tbs, algorithm, bitString(signature));
};

export const certificatePem = (der: Buffer) => pem("CERTIFICATE", der);
export const privateKeyPem = (key: KeyObject) => String(key.export({ type: "pkcs8", format: "pem" }));

const YEAR = 365 * 86_400_000;

// The CA clients are given as their cafile: ten years, self-signed.
export const createApiCa = (now: Date): { certPem: string; keyPem: string; key: TKeyPair } => {
  const key = createKeyPair();
  const der = createCertificate({ subject: "Twofold API CA", subjectKey: key.publicKey, issuer: "Twofold API CA", issuerKey: key, ca: true, notBefore: new Date(now.getTime() - 3_600_000), notAfter: new Date(now.getTime() + 10 * YEAR) });
  return { certPem: certificatePem(der), keyPem: privateKeyPem(key.privateKey), key };
};

// This worker's server certificate under that CA, for every name it is reached by.
export const issueServerCertificate = (options: { ca: TKeyPair; names: readonly string[]; now: Date }): TIssuedCertificate => {
  const key = createKeyPair();
  const [first = "localhost"] = options.names;
  const der = createCertificate({ subject: first, subjectKey: key.publicKey, issuer: "Twofold API CA", issuerKey: options.ca, ca: false, names: options.names, notBefore: new Date(options.now.getTime() - 3_600_000), notAfter: new Date(options.now.getTime() + 2 * YEAR) });
  return { certPem: certificatePem(der), keyPem: privateKeyPem(key.privateKey) };
};
