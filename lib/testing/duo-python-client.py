# Drives Debian's python3-duo-client (duo_client.Auth, duo_client.auth_v1.AuthV1, duo_client.Admin) for the tests:
# a JSON job on stdin, a JSON list of results on stdout. The calls are the library's own; only the test harness
# options (a frozen Date, a tampered parameter) reach into it.
import email.utils
import hashlib
import json
import sys

import duo_client
import duo_client.auth_v1
import duo_client.client

job = json.load(sys.stdin)
if job.get("date"):
    frozen = job["date"]
    duo_client.client.email.utils.formatdate = lambda *args, **kwargs: frozen

classes = {"auth": duo_client.Auth, "auth_v1": duo_client.auth_v1.AuthV1, "admin": duo_client.Admin}
results = []
for call in job["calls"]:
    cls = classes[call.get("client", "auth")]
    digestmod = hashlib.sha512 if call.get("sha512") else hashlib.sha1
    client = cls(ikey=job["ikey"], skey=call.get("skey", job["skey"]), host=job["host"], port=job["port"], ca_certs=job["ca"], sig_version=call.get("sig_version", 2), digestmod=digestmod)
    try:
        if call["method"] == "tampered":
            # Signed for one set of parameters, sent with another: what a man in the middle without the skey can do.
            signed, sent = call["signed"], call["sent"]
            now = email.utils.formatdate()
            auth = duo_client.client.sign(client.ikey, client.skey, "POST", client.host, call["path"], now, 2, duo_client.client.normalize_params(signed), digestmod=client.digestmod)
            import urllib.parse
            conn = client._connect()
            conn.request("POST", call["path"], urllib.parse.urlencode(sent), {"Authorization": auth, "Date": now, "Content-type": "application/x-www-form-urlencoded"})
            response = conn.getresponse()
            data = response.read()
            results.append({"ok": response.status == 200, "status": response.status, "body": json.loads(data.decode("utf-8"))})
            continue
        value = getattr(client, call["method"])(*call.get("args", []), **call.get("kwargs", {}))
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        results.append({"ok": True, "value": value})
    except RuntimeError as error:
        body = getattr(error, "data", None)
        if isinstance(body, bytes):
            body = body.decode("utf-8", "replace")
        results.append({"ok": False, "error": str(error), "status": getattr(error, "status", None), "body": body})
print(json.dumps(results))
