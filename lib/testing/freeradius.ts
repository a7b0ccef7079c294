import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./free-port";
import { eapInnerServer, eapModule, eapOuterPostAuth, prepareEapFiles } from "./freeradius-eap";
import { mschapAuthorize, mschapModule, mschapRejectPolicy, prepareMschapFiles, readPasswordChanges, type TFreeRadiusMschap } from "./freeradius-mschap";
import { killOnExit, stopChild } from "./kill-on-exit";

// A throwaway FreeRADIUS 3.2 playing the upstream ISE/NPS (or, in "proxy" mode, a FreeRADIUS proxy in front of one,
// the benchmark's baseline). Config is generated from scratch in a temp dir: nothing of /etc/freeradius is used and
// the Debian service, if running, is never touched.

export type TFreeRadiusUser = {
  username: string;
  password: string;
  reply?: string[]; // users-file reply items, e.g. 'Class := "OU=Engineering;"'
  // Answer the right password with an Access-Challenge (Reply-Message = prompt, a State); the user then passes by
  // sending `answer` as User-Password with that State. Passwords here must not contain `"` or `\`.
  // stateOnly: the answer is matched by its State alone, whatever User-Name it carries (as ISE finds its session),
  // so binding the State to the user is left to whoever relays it.
  challenge?: { prompt: string; answer: string; stateOnly?: boolean };
  // Users-file check items instead of the password, e.g. an ACL download: ['Cisco-AVPair == "aaa:event=acl-download"',
  // 'Auth-Type := Accept'].
  check?: string[];
};

export type TFreeRadius = {
  authPort: number;
  acctPort: number;
  secret: string;
  dir: string;
  requestCount: () => number; // Access-Requests received (not counting Status-Server)
  accountingCount: () => number;
  output: () => string;
  passwordChanges: () => string[]; // mschap: "<user> <MS-CHAP-NT-Enc-PW hex>" per MS-CHAPv2 password change
  stop: () => Promise<void>;
};

export const UPSTREAM_ATTRIBUTES_ALICE = [
  'Class := "OU=Engineering;"',
  'Cisco-AVPair += "ip:inacl#1=permit ip any any"',
  'Cisco-AVPair += "shell:priv-lvl=1"',
  'Filter-Id := "vpn-engineering"',
  "Framed-IP-Address := 10.8.0.10",
  "Session-Timeout := 3600",
  'Reply-Message := "Welcome, alice"',
  'ASA-Group-Policy := "Engineering-GP"',
];

export const DEFAULT_FREERADIUS_USERS: TFreeRadiusUser[] = [
  { username: "alice", password: "alice-pass", reply: UPSTREAM_ATTRIBUTES_ALICE },
  { username: "bob", password: "bob-pass", reply: ['Class := "OU=Sales;"'] },
  { username: "carol", password: "carol-pass", reply: ['Class := "OU=Engineering;"'], challenge: { prompt: "Enter your RSA token code", answer: "424242" } },
  // Everything a person may type: commas, backslash, spaces, non-ASCII.
  { username: "dave", password: "p,a\\ss wörd", reply: ['Class := "OU=Ops;"'] },
];

export const CHALLENGE_STATE_PREFIX = "upstream-challenge-";

const quote = (value: string) => `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
const hex = (value: string) => `0x${Buffer.from(value, "utf8").toString("hex")}`;

const usersFile = (users: TFreeRadiusUser[]) =>
  users
    .filter((user) => !user.challenge)
    .map((user) => {
      const reply = (user.reply ?? []).map((item) => `\t${item}`).join(",\n");
      const check = user.check?.join(", ") ?? `Cleartext-Password := ${quote(user.password)}`;
      return `${quote(user.username)} ${check}${reply ? `\n${reply}` : ""}\n`;
    })
    .join("\n");

// Challenge users are handled in unlang: password -> Access-Challenge with State; State + answer -> Accept.
const challengePolicy = (users: TFreeRadiusUser[]) =>
  users
    .filter((user) => user.challenge)
    .map((user) => {
      const state = hex(`${CHALLENGE_STATE_PREFIX}${user.username}`);
      const reply = (user.reply ?? []).map((item) => `\t\t\t\t\t${item.replace(":=", "=").replace("+=", "+=")}`).join("\n");
      // The answer: the State and the token code, or a reject.
      const answer = (stateTest: string) => `if (${stateTest} && (&User-Password == ${quote(user.challenge!.answer)})) {
					update control {
						&Auth-Type := Accept
					}
					update reply {
${reply}
					}
				}
				else {
					reject
				}`;
      const stateOnly = user.challenge!.stateOnly ? `\n\t\tif (&State == ${state}) {\n\t\t\t\t${answer("true")}\n\t\t}\n\t\tels` : "\n\t\t";
      return `${stateOnly}if (&User-Name == ${quote(user.username)}) {
			if (&State) {
				${answer(`(&State == ${state})`)}
			}
			elsif (&User-Password == ${quote(user.password)}) {
				update reply {
					&Reply-Message := ${quote(user.challenge!.prompt)}
					&State := ${state}
				}
				update control {
					&Response-Packet-Type := Access-Challenge
				}
				handled
			}
			else {
				reject
			}
		}`;
    })
    .join("\n");

const radiusdConf = (options: {
  dir: string;
  secret: string;
  authPort: number;
  acctPort: number;
  users: TFreeRadiusUser[];
  proxyTo?: TProxyTarget;
  countRequests: boolean;
  extraAuthorize?: string;
  mschap?: TFreeRadiusMschap;
  eap?: boolean;
}) => {
  const { dir, proxyTo } = options;
  // EAP's inner MS-CHAPv2 needs rlm_mschap; the outer conversation starts before `files` (the outer name is anonymous).
  const mschapModules = options.mschap || options.eap ? mschapModule() : "";
  return `
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = ${dir}
sbindir = /usr/sbin
logdir = ${dir}/log
raddbdir = ${dir}
radacctdir = ${dir}/radacct
name = radiusd
confdir = ${dir}
modconfdir = ${dir}/mods-config
run_dir = ${dir}/run
db_dir = ${dir}
libdir = /usr/lib/freeradius
pidfile = ${dir}/run/radiusd.pid
max_request_time = 30
cleanup_delay = 5
max_requests = 65536
hostname_lookups = no
log {
	destination = stdout
	colourise = no
	auth = no
}
security {
	allow_core_dumps = no
	max_attributes = 200
	reject_delay = 0
	status_server = yes
}
proxy_requests = ${proxyTo ? "yes" : "no"}
${
  proxyTo
    ? `proxy server {
	default_fallback = no
}
home_server upstream {
	type = auth+acct
	ipaddr = ${proxyTo.host}
	port = ${proxyTo.authPort}
	secret = ${quote(proxyTo.secret)}
	response_window = 20
	zombie_period = 40
	revive_interval = 10
	status_check = none
	max_outstanding = 65536
}
home_server_pool upstream_pool {
	type = fail-over
	home_server = upstream
}
realm upstream {
	auth_pool = upstream_pool
	nostrip
}`
    : ""
}
client localhost {
	ipaddr = 127.0.0.1
	secret = ${quote(options.secret)}
	require_message_authenticator = no
	nas_type = other
}
thread pool {
	start_servers = 8
	max_servers = 32
	min_spare_servers = 4
	max_spare_servers = 16
	max_requests_per_server = 0
	auto_limit_acct = no
}
modules {
	always reject {
		rcode = reject
	}
	always ok {
		rcode = ok
	}
	always handled {
		rcode = handled
	}
	pap {
		normalise = yes
	}${mschapModules}${options.eap ? eapModule(dir) : ""}
	files {
		filename = ${dir}/users
		acctusersfile = ${dir}/acct_users
		preproxy_usersfile = ${dir}/preproxy_users
	}
	linelog count_auth {
		filename = ${dir}/log/auth-requests.log
		format = "%{User-Name}"
	}
	linelog count_acct {
		filename = ${dir}/log/acct-requests.log
		format = "%{User-Name} %{Acct-Status-Type}"
	}
}
server default {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = ${options.authPort}
	}
	listen {
		type = acct
		ipaddr = 127.0.0.1
		port = ${options.acctPort}
	}
	authorize {
		${options.countRequests ? "count_auth" : ""}
${
  proxyTo
    ? `		update control {
			&Proxy-To-Realm := "upstream"
		}`
    : `${options.extraAuthorize ?? ""}${options.eap ? "\n\t\teap {\n\t\t\tok = return\n\t\t}" : ""}
${challengePolicy(options.users)}
		files${options.mschap ? `\n${mschapAuthorize({ dir, mschap: options.mschap })}` : ""}
		pap`
}
	}
	authenticate {
		Auth-Type PAP {
			pap
		}${options.mschap ? "\n\t\tAuth-Type MS-CHAP {\n\t\t\tmschap\n\t\t}" : ""}${options.eap ? "\n\t\teap" : ""}
	}
	preacct {
		${options.countRequests ? "count_acct" : ""}
	}
	accounting {
		ok
	}
	post-auth {
		ok${options.eap ? eapOuterPostAuth : ""}
		# ISE/NPS send no authorization attributes with a reject; the users file would otherwise leak them.
		Post-Auth-Type REJECT {
			${options.mschap ? mschapRejectPolicy(options.users.flatMap((user) => user.reply ?? [])) : "update {\n\t\t\t\t&reply: !* ANY\n\t\t\t}"}${options.eap ? "\n\t\t\teap" : ""}
		}
	}
	pre-proxy {
	}
	post-proxy {
	}
}
${options.eap ? eapInnerServer() : ""}`;
};

export type TProxyTarget = { host: string; authPort: number; secret: string };

const countLines = (file: string) =>
  existsSync(file) ? readFileSync(file, "utf8").split("\n").filter((line) => line !== "").length : 0;

export const startFreeRadius = async (options: {
  secret: string;
  users?: TFreeRadiusUser[];
  mode?: "upstream" | "proxy";
  proxyTo?: TProxyTarget;
  // Default true. A benchmark baseline may turn it off: the count is a file write per request.
  countRequests?: boolean;
  // Unlang run first in authorize (upstream mode), for answers the users file cannot give (an ACL paged by State).
  extraAuthorize?: string;
  // rlm_mschap answers MS-CHAPv2 (lib/testing/freeradius-mschap.ts): MPPE keys, E=648, password changes.
  mschap?: TFreeRadiusMschap;
  // rlm_eap terminates PEAP / EAP-TTLS with MS-CHAPv2 inside (lib/testing/freeradius-eap.ts), as ISE/NPS for 802.1X.
  eap?: boolean;
  // Fixed ports, e.g. to start the same upstream again after stopping it (free ports otherwise).
  ports?: { authPort: number; acctPort: number };
  log?: (line: string) => void;
}): Promise<TFreeRadius> => {
  const mode = options.mode ?? "upstream";
  if (mode === "proxy" && !options.proxyTo) throw new Error("proxy mode needs proxyTo");
  const dir = mkdtempSync(path.join(tmpdir(), "twofold-freeradius-"));
  for (const sub of ["log", "run", "radacct", "mods-config"]) mkdirSync(path.join(dir, sub));
  const users = options.users ?? DEFAULT_FREERADIUS_USERS;
  const [authPort, acctPort] = options.ports ? [options.ports.authPort, options.ports.acctPort] : [await freePort(), await freePort()];
  writeFileSync(path.join(dir, "users"), usersFile(users));
  for (const file of ["acct_users", "preproxy_users"]) writeFileSync(path.join(dir, file), "");
  writeFileSync(
    path.join(dir, "radiusd.conf"),
    radiusdConf({
      dir,
      secret: options.secret,
      authPort,
      acctPort,
      users,
      proxyTo: mode === "proxy" ? options.proxyTo : undefined,
      countRequests: options.countRequests ?? true,
      extraAuthorize: options.extraAuthorize,
      mschap: options.mschap,
      eap: options.eap,
    }),
  );
  if (options.mschap) prepareMschapFiles(dir);
  if (options.eap) prepareEapFiles(dir);

  let output = "";
  const child: ChildProcess = spawn("/usr/sbin/freeradius", ["-f", "-l", "stdout", "-d", dir, "-n", "radiusd"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  killOnExit(child);
  const onData = (chunk: Buffer) => {
    const text = chunk.toString();
    // Keep the start of the log (config errors) and the tail; the full log can grow large under a benchmark.
    output = output.length > 200_000 ? output.slice(0, 50_000) + output.slice(-100_000) + text : output + text;
    options.log?.(text);
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`FreeRADIUS did not start within 30 s:\n${output}`)), 30_000);
    const check = () => {
      if (output.includes("Ready to process requests")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`FreeRADIUS exited with ${code} during start:\n${output}`));
    });
  });

  return {
    authPort,
    acctPort,
    secret: options.secret,
    dir,
    requestCount: () => countLines(path.join(dir, "log", "auth-requests.log")),
    accountingCount: () => countLines(path.join(dir, "log", "acct-requests.log")),
    output: () => output,
    passwordChanges: () => readPasswordChanges(dir),
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
