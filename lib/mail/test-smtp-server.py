"""A real SMTP server for Twofold's mail tests (Debian's python3-aiosmtpd): every message accepted is written as one
JSON file (envelope + raw bytes, base64) into --out. Optional STARTTLS (required when given) and AUTH PLAIN/LOGIN
(required when given). RCPT to an address whose local part starts with "reject" is refused with 550, so a test can
see a server-side refusal. Prints READY once listening."""
import argparse, base64, json, os, ssl, sys, time, uuid

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--out", required=True)
parser.add_argument("--tls-cert")
parser.add_argument("--tls-key")
parser.add_argument("--auth", help="user:password")
args = parser.parse_args()


class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.split("@")[0].startswith("reject"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        record = {
            "from": envelope.mail_from,
            "to": envelope.rcpt_tos,
            "tls": session.ssl is not None,
            "authenticated": bool(session.authenticated),
            "raw": base64.b64encode(envelope.original_content or envelope.content).decode(),
        }
        name = os.path.join(args.out, f"{time.time_ns()}-{uuid.uuid4().hex}.json")
        with open(name + ".tmp", "w") as file:
            json.dump(record, file)
        os.rename(name + ".tmp", name)  # readers never see half a message
        return "250 Message accepted"


def authenticator(server, session, envelope, mechanism, auth_data):
    user, _, password = args.auth.partition(":")
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
    return AuthResult(success=ok, handled=False)


params = {}
if args.tls_cert:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.tls_cert, args.tls_key)
    params.update(tls_context=context, require_starttls=True)
if args.auth:
    params.update(authenticator=authenticator, auth_required=True, auth_require_tls=bool(args.tls_cert))

controller = Controller(Handler(), hostname="127.0.0.1", port=args.port, **params)
controller.start()
print("READY", flush=True)
try:
    while True:
        time.sleep(3600)
except KeyboardInterrupt:
    pass
finally:
    controller.stop()
