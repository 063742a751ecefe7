"""Start the AhsayCBS, VSPC and Unified Assurance simulators on 127.0.0.1.

Once every port listens, writes the ports file as JSON:
``{"ahsay": URL, "veeam": URL, "aaa": URL, "ca": CA_PEM_PATH, "pid": PID,
"client_cert": PEM, "client_key": PEM}`` (the client certificate is issued by the same CA
for the Unified Assurance user ``api``). Stops cleanly on SIGTERM or Ctrl-C.

Several platform instances (an MSP's AhsayCBS or VSPC servers per region or reseller): start
this script once per instance, each with its own ports file. Every run listens on ports of its
own (chosen by the system), keeps its own state, request log and faults, and stops on its own
PID (the ``pid`` of its ports file)::

    for n in 1 2 3; do
      python tests/simulator/run.py --ports-file .tmp/sim-$n.json --ca-dir .tmp/sim-ca &
    done

Without ``--ca-dir`` each run makes a CA of its own in a temporary folder (removed when it
stops), so each instance needs its own ``ca_path``. With ``--ca-dir DIR`` the runs share one CA
kept in DIR (made by the first run, reused by the others and left in place), so one ``ca_path``
(``DIR/ca.pem``, also the ports files' ``ca``) verifies every instance; each run still gets a
server and client certificate of its own.
"""

import argparse
import fcntl
import json
import os
import shutil
import signal
import socket
import ssl
import sys
import tempfile
import threading

from werkzeug.serving import WSGIRequestHandler, make_server

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import aaa  # noqa: E402  pylint: disable=wrong-import-position
import ahsay  # noqa: E402  pylint: disable=wrong-import-position
import veeam  # noqa: E402  pylint: disable=wrong-import-position

HOST = "127.0.0.1"
PLATFORMS = (("ahsay", ahsay), ("veeam", veeam), ("aaa", aaa))
# Unified Assurance accepts TLS client certificates; the others do not ask for one.
CLIENT_CERT_PLATFORMS = {"aaa"}


class QuietHandler(WSGIRequestHandler):
    """No access log on stderr (the request log is at /_sim/requests), and TCP_NODELAY:
    werkzeug writes headers and body separately, which Nagle plus delayed ACKs would
    stall for ~40 ms per keep-alive request."""

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_request(self, *args, **kwargs):
        pass


def shared_ca(ca_dir):
    """The CA kept in ``ca_dir`` (``ca.pem``, ``ca.key``), made there by the first run that asks."""
    import trustme  # imported here so --plain-http needs no TLS libraries

    os.makedirs(ca_dir, exist_ok=True)
    cert, key = os.path.join(ca_dir, "ca.pem"), os.path.join(ca_dir, "ca.key")
    with open(os.path.join(ca_dir, ".lock"), "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # runs started at once make one CA, not three
        if not (os.path.exists(cert) and os.path.exists(key)):
            ca = trustme.CA(organization_name="msp.accounts simulator CA")
            ca.private_key_pem.write_to_path(key)
            os.chmod(key, 0o600)
            ca.cert_pem.write_to_path(cert)
            return ca
        with open(cert, "rb") as cert_file, open(key, "rb") as key_file:
            return trustme.CA.from_pem(cert_file.read(), key_file.read())


def make_tls(workdir, ca_dir=None):
    """Create a CA (or take the one kept in ``ca_dir``), a server certificate for 127.0.0.1/localhost
    and a client certificate."""
    import trustme  # imported here so --plain-http needs no TLS libraries

    ca = shared_ca(ca_dir) if ca_dir else trustme.CA(organization_name="msp.accounts simulator CA")
    server = ca.issue_cert("127.0.0.1", "localhost", "::1")
    client = ca.issue_cert("api@simulator.invalid", common_name="api")
    paths = {}
    for name, blob in (
        ("ca", ca.cert_pem),
        ("server_cert", server.cert_chain_pems[0]),
        ("server_key", server.private_key_pem),
        ("client_cert", client.cert_chain_pems[0]),
        ("client_key", client.private_key_pem),
    ):
        paths[name] = os.path.join(workdir, name + ".pem")
        blob.write_to_path(paths[name])
    if ca_dir:
        paths["ca"] = os.path.join(os.path.abspath(ca_dir), "ca.pem")  # the same path for every instance
    return paths


def server_context(tls, want_client_cert):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(tls["server_cert"], tls["server_key"])
    if want_client_cert:
        context.verify_mode = ssl.CERT_OPTIONAL
        context.load_verify_locations(tls["ca"])
    return context


def start(plain_http=False, workdir=None, ca_dir=None):
    """Start the three servers in threads; return (servers, info). ``ca_dir``: see the module docstring."""
    workdir = workdir or tempfile.mkdtemp(prefix="msp-accounts-sim-")
    tls = None if plain_http else make_tls(workdir, ca_dir)
    servers = {}
    info = {}
    for name, platform in PLATFORMS:
        app, _sim = platform.create_app()
        context = None if tls is None else server_context(tls, name in CLIENT_CERT_PLATFORMS)
        server = make_server(HOST, 0, app, threaded=True, ssl_context=context, request_handler=QuietHandler)
        thread = threading.Thread(target=server.serve_forever, name="sim-" + name, daemon=True)
        thread.start()
        servers[name] = server
        info[name] = "%s://%s:%d" % ("http" if tls is None else "https", HOST, server.port)
    info["ca"] = tls["ca"] if tls else None
    info["client_cert"] = tls["client_cert"] if tls else None
    info["client_key"] = tls["client_key"] if tls else None
    info["pid"] = os.getpid()
    return servers, info


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ports-file", required=True, help="where to write the URLs as JSON")
    parser.add_argument("--plain-http", action="store_true", help="serve HTTP instead of HTTPS")
    parser.add_argument("--ca-dir", help="keep the CA in this folder and share it with other runs given the same "
                                         "folder (one ca_path for several instances); made when missing, never removed")
    args = parser.parse_args(argv)

    workdir = tempfile.mkdtemp(prefix="msp-accounts-sim-")
    servers, info = start(plain_http=args.plain_http, workdir=workdir, ca_dir=args.ca_dir)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    tmp = args.ports_file + ".tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(info, handle, indent=2)
    os.replace(tmp, args.ports_file)  # readers never see a half-written file
    print(json.dumps(info, indent=2), flush=True)

    stop.wait()
    for server in servers.values():
        server.shutdown()
    shutil.rmtree(workdir, ignore_errors=True)  # this run's certificates and keys (a --ca-dir CA stays)
    return 0


if __name__ == "__main__":
    sys.exit(main())
