import type { TRadiusAttribute } from "../../lib/primary-auth/types";
import { Attr, RadiusCode } from "../../lib/radius/constants";
import { encryptPassword } from "../../lib/radius/password";
import type { TUpstreamTransport } from "../../lib/radius/upstream/create-upstream-transport";

export type TSendLoginOptions = {
  nas: TUpstreamTransport; // the NAS's socket: its bind address is the client the worker knows
  port: number;
  secret: string;
  username: string;
  password: string | Buffer;
  attributes?: TRadiusAttribute[]; // after User-Name and User-Password
  timeoutMs: number;
};

// One PAP Access-Request to a worker on loopback, sent once (retries: 0): a test that wants a retransmit says so.
export const sendLogin = ({ nas, port, secret, username, password, attributes = [], timeoutMs }: TSendLoginOptions) =>
  nas.exchange({
    target: { host: "127.0.0.1", port, secret: Buffer.from(secret) },
    code: RadiusCode.AccessRequest,
    attributes: (authenticator) => [
      { type: Attr.UserName, value: Buffer.from(username) },
      { type: Attr.UserPassword, value: encryptPassword({ password: Buffer.from(password), secret: Buffer.from(secret), authenticator }) },
      ...attributes,
    ],
    timeoutMs,
    retries: 0,
  });
