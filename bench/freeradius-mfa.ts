import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../lib/testing/free-port";
import { killOnExit, stopChild } from "../lib/testing/kill-on-exit";

// The baseline for the MFA benchmarks: FreeRADIUS 3.2 doing the work Twofold does, itself, in front of the same
// upstream. "append": one request — split `password,code` in unlang, the user's TOTP-Secret from a users file, rlm_totp
// (called as totp.authenticate from authorize: the module has only an authenticate method, and a proxied request never
// reaches the authenticate section), then proxy the password part. "challenge": the password is proxied; the upstream's
// Accept becomes an Access-Challenge with a random State, remembered with the username in rlm_cache (in this process's
// memory: FreeRADIUS 3.2 has no State store shared by several servers short of redis/SQL); the answer's State must be
// known and bound to the same User-Name, is spent (single use), and the code is checked by rlm_totp.
// What FreeRADIUS does not do here: no replay guard (rlm_totp 3.2.1 accepts a code again within its window), no
// lockout counter, no durable per-login log. Twofold does all three.

export type TMfaBaselineUser = { username: string; totpBase32: string };
export type TMfaBaseline = { authPort: number; stop: () => Promise<void>; pid: () => number | undefined; output: () => string };

const quote = (value: string) => `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

const appendAuthorize = `
		if (&User-Password =~ /^(.*),([0-9]{6})$/) {
			update request {
				&TOTP-Password := "%{2}"
				&User-Password := "%{1}"
			}
		}
		else {
			reject
		}
		files
		totp.authenticate
		if (!ok) {
			reject
		}
		update control {
			&Proxy-To-Realm := "upstream"
		}`;

const challengeAuthorize = `
		if (&State) {
			update control {
				&Tmp-String-0 := "%{State}"
				&Cache-Read-Only := yes
			}
			cache_state
			if (!ok || (&control:Tmp-String-1 != &User-Name)) {
				reject
			}
			# Single use: the entry is expired as it is taken.
			update control {
				&Cache-Read-Only !* ANY
				&Cache-TTL := 0
			}
			cache_state
			files
			update request {
				&TOTP-Password := "%{User-Password}"
			}
			totp.authenticate
			if (!ok) {
				reject
			}
			update control {
				&Auth-Type := Accept
			}
		}
		else {
			update control {
				&Proxy-To-Realm := "upstream"
			}
		}`;

const challengePostProxy = `
		if (&proxy-reply:Packet-Type == Access-Accept) {
			update control {
				&Tmp-String-0 := "0x%{randstr:hhhhhhhhhhhhhhhhhhhh}"
				&Tmp-String-1 := "%{User-Name}"
			}
			cache_state
			update reply {
				&reply: !* ANY
			}
			update reply {
				&State := "%{control:Tmp-String-0}"
				&Reply-Message := "Enter your passcode"
			}
			update control {
				&Response-Packet-Type := Access-Challenge
			}
		}`;

const config = (options: { dir: string; secret: string; authPort: number; mode: "append" | "challenge"; upstream: { host: string; port: number; secret: string } }) => `
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = ${options.dir}
sbindir = /usr/sbin
logdir = ${options.dir}/log
raddbdir = ${options.dir}
radacctdir = ${options.dir}/radacct
name = radiusd
confdir = ${options.dir}
modconfdir = ${options.dir}/mods-config
run_dir = ${options.dir}/run
db_dir = ${options.dir}
libdir = /usr/lib/freeradius
pidfile = ${options.dir}/run/radiusd.pid
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
proxy_requests = yes
proxy server {
	default_fallback = no
}
home_server upstream {
	type = auth
	ipaddr = ${options.upstream.host}
	port = ${options.upstream.port}
	secret = ${quote(options.upstream.secret)}
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
}
client localhost {
	ipaddr = 127.0.0.1
	secret = ${quote(options.secret)}
	require_message_authenticator = yes
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
	totp {
	}
	# %{randstr:…} for the State
	expr {
	}
	files {
		filename = ${options.dir}/users
		acctusersfile = ${options.dir}/empty
		preproxy_usersfile = ${options.dir}/empty
	}
	cache cache_state {
		driver = "rlm_cache_rbtree"
		key = "%{control:Tmp-String-0}"
		ttl = 300
		max_entries = 0
		update {
			&control:Tmp-String-1 := &control:Tmp-String-1
		}
	}
}
server default {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = ${options.authPort}
	}
	authorize {
${options.mode === "append" ? appendAuthorize : challengeAuthorize}
	}
	authenticate {
	}
	post-auth {
		ok
		Post-Auth-Type REJECT {
			update {
				&reply: !* ANY
			}
		}
	}
	pre-proxy {
	}
	post-proxy {
${options.mode === "challenge" ? challengePostProxy : ""}
	}
}
`;

export const startMfaBaseline = async (options: {
  secret: string;
  mode: "append" | "challenge";
  users: TMfaBaselineUser[];
  upstream: { host: string; port: number; secret: string };
}): Promise<TMfaBaseline> => {
  const dir = mkdtempSync(path.join(tmpdir(), "twofold-bench-freeradius-"));
  for (const sub of ["log", "run", "radacct", "mods-config"]) mkdirSync(path.join(dir, sub));
  const authPort = await freePort();
  writeFileSync(path.join(dir, "empty"), "");
  writeFileSync(path.join(dir, "users"), options.users.map((user) => `${quote(user.username)} TOTP-Secret := ${quote(user.totpBase32)}\n`).join(""));
  writeFileSync(path.join(dir, "radiusd.conf"), config({ dir, secret: options.secret, authPort, mode: options.mode, upstream: options.upstream }));
  let output = "";
  const child = spawn("/usr/sbin/freeradius", ["-f", "-l", "stdout", "-d", dir, "-n", "radiusd"], { stdio: ["ignore", "pipe", "pipe"] });
  killOnExit(child);
  const onData = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-100_000);
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const started = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`FreeRADIUS did not start within 60 s:\n${output}`)), 60_000);
    child.stdout.on("data", () => {
      if (!output.includes("Ready to process requests")) return;
      clearTimeout(timer);
      resolve();
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`FreeRADIUS exited with ${code} during start:\n${output}`));
    });
  });
  await started.catch(async (error: unknown) => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    authPort,
    pid: () => child.pid,
    output: () => output,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
