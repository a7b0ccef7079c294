import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

// FreeRADIUS's rlm_mschap as ISE/NPS answering MS-CHAPv2 (startFreeRadius({ mschap: {} })): users with a
// Cleartext-Password, MPPE keys on, and E=648 for users whose check items say `SMB-Account-CTRL-TEXT := "[Ue]"`
// (password expired: rlm_mschap checks the password, then refuses with "E=648 R=0 C=… V=3 M=Password expired").
//
// Password changes: FreeRADIUS 3.2.1 crashes decrypting MS-CHAP-NT-Enc-PW (its RC4 context is used before the cipher
// is set; fixed upstream in 3.2.4, PR #5340). So `changes` names the new password each user's MS-CHAP2-CPW must carry:
// unlang turns the CPW into the MS-CHAP2-Response it contains (as rlm_mschap itself does after a change) and rlm_mschap
// verifies that NT-Response against the new password, then answers with MS-CHAP2-Success and keys from it. The three
// MS-CHAP-NT-Enc-PW chunks are logged as received (log/cpw.log: "<user> <hex>"), to be compared with what the NAS sent.
export type TFreeRadiusMschap = { changes?: Record<string, string> };

const CPW_SCRIPT = "cpw.sh";
const quote = (value: string) => `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

export const mschapModule = (): string => `
	exec {
		wait = yes
		input_pairs = request
		shell_escape = yes
		timeout = 10
	}
	mschap {
		use_mppe = yes
		require_encryption = no
		require_strong = no
		with_ntdomain_hack = yes
	}`;

// Runs after `files` (the user's check items are in control) and before `mschap` (which must see a plain response).
export const mschapAuthorize = (options: { dir: string; mschap: TFreeRadiusMschap }): string => {
  const changes = Object.entries(options.mschap.changes ?? {}).map(
    ([username, password]) => `if (&MS-CHAP2-CPW && (&User-Name == ${quote(username)}) && (&MS-CHAP2-CPW =~ /^0x07([0-9a-f]{2})[0-9a-f]{32}([0-9a-f]{96})/)) {
			update request {
				&MS-CHAP2-Response := "0x%{1}00%{2}"
			}
			update control {
				&Cleartext-Password := ${quote(password)}
				&SMB-Account-CTRL-TEXT !* ANY
				&Tmp-String-1 := "%{exec:${options.dir}/${CPW_SCRIPT} %{User-Name} %{hex:&MS-CHAP-NT-Enc-PW[0]}%{hex:&MS-CHAP-NT-Enc-PW[1]}%{hex:&MS-CHAP-NT-Enc-PW[2]}}"
			}
			update request {
				&MS-CHAP2-CPW !* ANY
			}
		}`,
  );
  return [...changes, "mschap"].map((line) => `\t\t${line}`).join("\n");
};

// ISE/NPS send no authorization attributes with a reject, but an MS-CHAP-Error they do: remove only the attributes the
// users file could have added.
export const mschapRejectPolicy = (replyItems: string[]): string => {
  const names = [...new Set(replyItems.map((item) => item.trim().split(/\s+/)[0]).filter((name) => name && name !== "MS-CHAP-Error"))];
  return names.length === 0 ? "ok" : `update reply {\n${names.map((name) => `\t\t\t\t&${name} !* ANY`).join("\n")}\n\t\t\t}`;
};

export const prepareMschapFiles = (dir: string): void => {
  const file = path.join(dir, CPW_SCRIPT);
  writeFileSync(file, `#!/bin/sh\nprintf '%s %s\\n' "$1" "$2" >> ${dir}/log/cpw.log\necho changed\n`);
  chmodSync(file, 0o755);
};

export const readPasswordChanges = (dir: string): string[] => {
  const file = path.join(dir, "log", "cpw.log");
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter((line) => line !== "") : [];
};
