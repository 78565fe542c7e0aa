"""Run the shipped nginx snippet (deploy/nginx-imr-archive.conf) for real, on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import ROOT

SNIPPET = ROOT / "deploy" / "nginx-imr-archive.conf"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def nginx_serving(site: Path, work: Path, port: int, prefix: str = "imr"):
    """nginx on 127.0.0.1:port serving `site` under /<prefix>/ with the shipped snippet."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    www = work / "www"
    www.mkdir(parents=True, exist_ok=True)
    shutil.copytree(site, www / prefix)
    temp = work / "nginx-temp"
    temp.mkdir(exist_ok=True)
    conf = work / "nginx.conf"
    conf.write_text(f"""
daemon off;
user root;  # the workers read the test's private temporary folders
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {www};
        include {SNIPPET};
    }}
}}
""")
    proc = subprocess.Popen(
        [nginx, "-c", str(conf), "-e", str(work / "nginx-error.log")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/{prefix}/", timeout=2)
                break
            except OSError as e:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    out = proc.communicate()[0].decode(errors="replace")
                    log = (work / "nginx-error.log").read_text(errors="replace")
                    raise RuntimeError(
                        f"nginx did not serve the site ({e}): {out}\n{log}"
                    ) from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/{prefix}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
