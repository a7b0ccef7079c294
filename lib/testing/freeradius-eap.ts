import { execFileSync } from "node:child_process";
import path from "node:path";

// FreeRADIUS's rlm_eap as ISE/NPS terminating 802.1X (startFreeRadius({ eap: true })): PEAP and EAP-TTLS with
// MS-CHAPv2 inside, a throwaway self-signed server certificate, and an inner tunnel that checks the users file's
// passwords. Like ISE, the outer Access-Accept names the inner identity (User-Name) and carries the MPPE keys (the MSK)
// and the inner user's Class.
export const eapModule = (dir: string): string => `
	eap {
		default_eap_type = peap
		timer_expire = 60
		ignore_unknown_eap_types = no
		max_sessions = 4096
		md5 {
		}
		mschapv2 {
		}
		tls-config tls-common {
			private_key_file = ${dir}/certs/server.key
			certificate_file = ${dir}/certs/server.pem
			ca_file = ${dir}/certs/server.pem
			cipher_list = "DEFAULT"
			tls_min_version = "1.2"
			tls_max_version = "1.2"
			ecdh_curve = ""
			cache {
				enable = no
			}
		}
		peap {
			tls = tls-common
			default_eap_type = mschapv2
			virtual_server = "inner-tunnel"
		}
		ttls {
			tls = tls-common
			default_eap_type = mschapv2
			virtual_server = "inner-tunnel"
		}
	}`;

// rlm_eap puts the outer (anonymous) User-Name in every Accept (RFC 2869 §2.3.1); ISE names the inner identity there.
export const eapOuterPostAuth = `
		update reply {
			&User-Name := &session-state:User-Name
			&Class := &session-state:Class
		}`;

// Inside the tunnel: the users file's Cleartext-Password, checked by rlm_mschap (or PAP for TTLS-PAP).
export const eapInnerServer = (): string => `
server inner-tunnel {
	authorize {
		files
		mschap
		eap {
			ok = return
		}
		pap
	}
	authenticate {
		Auth-Type PAP {
			pap
		}
		Auth-Type MS-CHAP {
			mschap
		}
		eap
	}
	post-auth {
		update outer.session-state {
			&User-Name := &User-Name
			&Class := &reply:Class
		}
		Post-Auth-Type REJECT {
			ok
		}
	}
}
`;

export const prepareEapFiles = (dir: string): void => {
  const certs = path.join(dir, "certs");
  execFileSync("mkdir", ["-p", certs]);
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=twofold-test-ise", "-keyout", path.join(certs, "server.key"), "-out", path.join(certs, "server.pem")], { stdio: "ignore" });
};
