export type TAclPagingPolicyOptions = {
  aclName: string; // the User-Name of the download request
  state: string; // the first page's State, as unlang writes an octets value: 0x…
  firstPage: string[]; // Cisco-AVPair entries ("ip:inacl#1=…") sent with the State in an Access-Challenge
  lastPage: string[]; // the entries sent in the Access-Accept when that State comes back
};

// ISE's way with a long downloadable ACL, as a FreeRADIUS authorize policy (startFreeRadius's extraAuthorize): the
// first part in an Access-Challenge with a State, the rest when the State comes back, a reject for any other State.
export const aclPagingPolicy = ({ aclName, state, firstPage, lastPage }: TAclPagingPolicyOptions) => {
  const entries = (page: string[]) => page.map((entry) => `\n\t\t\t\t\t&Cisco-AVPair += "${entry}"`).join("");
  return `
		if ((&User-Name == "${aclName}") && (&Cisco-AVPair[*] == "aaa:event=acl-download")) {
			if (!&State) {
				update reply {${entries(firstPage)}
					&State := ${state}
				}
				update control {
					&Response-Packet-Type := Access-Challenge
				}
				handled
			}
			elsif (&State == ${state}) {
				update reply {${entries(lastPage)}
				}
				update control {
					&Auth-Type := Accept
				}
			}
			else {
				reject
			}
		}`;
};
