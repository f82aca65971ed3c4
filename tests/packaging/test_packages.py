"""The Debian packages as CI builds them: contents, control data and maintainer scripts, an install,
upgrade, removal and purge in a throw-away root (`dpkg --root --force-script-chrootless`, the
scripts honour $DPKG_ROOT), the systemd units verified there, the nginx template and udev rules.

Needs root (dpkg sets owners), dpkg-deb, systemd-analyze, cage and nginx (scripts/setup.sh).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import ROOT, free_port, wait_until

SERVER, KIOSK = "hall-queue-server", "hall-kiosk"
UNITS = [
    "queue-server@8001.service",
    "queue-server-retention.service",
    "queue-server-retention.timer",
    "queue-server-backup.service",
    "queue-server-backup.timer",
    "hall-kiosk.service",
]
pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="dpkg --root sets owners: run as root (CI does)")


def run(*cmd: str | Path, **kw: object) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=600, **kw)  # type: ignore[call-overload]
    assert done.returncode == 0, f"{cmd}: {done.stdout[-2000:]}{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def debs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dist")
    start = time.monotonic()
    run(ROOT / "packaging" / "build.sh", out)
    took = time.monotonic() - start
    print(f"packaging/build.sh took {took:.0f} s")
    assert took < 180, f"the build took {took:.0f} s; CI needs it well under 3 minutes"
    found = {p.name.split("_")[0]: p for p in out.glob("*.deb")}
    assert set(found) == {SERVER, KIOSK}
    return found


def contents(deb: Path) -> list[str]:
    # Lines look like "-rw-r--r-- root/root 1234 2026-12-01 15:00 ./opt/…"; keep the path.
    lines = run("dpkg-deb", "-c", deb).stdout.splitlines()
    return [line.split(" ./", 1)[1] for line in lines if " ./" in line]


def test_each_package_carries_its_own_side_only(debs: dict[str, Path]) -> None:
    server, kiosk = contents(debs[SERVER]), contents(debs[KIOSK])
    site = "venv/lib/python3.11/site-packages/"
    for path in (
        "opt/hall-queue-server/venv/bin/queue-server",
        f"opt/hall-queue-server/{site}queue_server/cli.py",
        f"opt/hall-queue-server/{site}drivers/idcard/idnumber.py",  # the shared ID rule
        "lib/systemd/system/queue-server@.service",
        "lib/systemd/system/queue-server-backup.timer",
        "lib/systemd/system/queue-server-retention.timer",
        "etc/hall-queue/server.env",
        "usr/share/hall-queue-server/nginx/hall-queue.conf",
        "usr/share/doc/hall-queue-server/INSTALL.md",
    ):
        assert path in server, path
    for path in (
        "opt/hall-kiosk/venv/bin/kiosk",
        f"opt/hall-kiosk/{site}kiosk/app.py",
        f"opt/hall-kiosk/{site}drivers/printer/connection.py",
        "lib/systemd/system/hall-kiosk.service",
        "lib/udev/rules.d/61-hall-kiosk-devices.rules",
        "usr/share/hall-kiosk/kiosk.example.toml",
    ):
        assert path in kiosk, path
    # No Qt on the server, no web server, database drivers or server code on the kiosk.
    assert not [p for p in server if re.search(r"/(PySide6|shiboken6|kiosk)/", p)]
    server_side = re.compile(r"/(queue_server|fastapi|uvicorn|sqlalchemy|psycopg\w*|alembic)/")
    assert not [p for p in kiosk if server_side.search(p)]
    assert "opt/hall-queue-server/venv/bin/kiosk" not in server
    assert "opt/hall-kiosk/venv/bin/queue-server" not in kiosk


def test_control_data_and_maintainer_scripts(debs: dict[str, Path]) -> None:
    for name, deb in debs.items():
        info = run("dpkg-deb", "-I", deb).stdout
        assert f"Package: {name}" in info and "Version: " in info
        assert re.search(r"Depends: python3 \(>= 3\.\d+\), python3 \(<< 3\.\d+\)", info)
        for script in ("postinst", "prerm", "postrm"):
            assert re.search(rf"^\s+\d+ bytes,\s+\d+ lines\s+\*\s+{script}\s", info, re.M), (name, script)
    assert "cage" in run("dpkg-deb", "-f", debs[KIOSK], "Depends").stdout
    assert "Qt" not in run("dpkg-deb", "-f", debs[SERVER], "Depends").stdout
    # The server speaks calls for displays without a Chinese voice when espeak-ng is there.
    assert "espeak-ng" in run("dpkg-deb", "-f", debs[SERVER], "Recommends").stdout
    with_scripts = ROOT / "packaging" / "debian"
    for script in with_scripts.glob("*/p*"):
        run("sh", "-n", script)  # POSIX shell syntax (dash runs them)
    conffiles = run("dpkg-deb", "--info", debs[SERVER], "conffiles").stdout.split()
    assert conffiles == ["/etc/hall-queue/server.env"]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An empty system: a dpkg database, the base users and groups a Debian system has."""
    r = tmp_path_factory.mktemp("root")
    for d in ("var/lib/dpkg/info", "var/lib/dpkg/updates", "etc", "usr/bin"):
        (r / d).mkdir(parents=True)
    for f in ("status", "available"):
        (r / "var/lib/dpkg" / f).touch()
    groups = {"root": 0, "lp": 7, "dialout": 20, "video": 44, "input": 105}
    (r / "etc/passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    (r / "etc/shadow").write_text("root:*:19000:0:99999:7:::\n")
    (r / "etc/group").write_text("".join(f"{g}:x:{gid}:\n" for g, gid in groups.items()))
    (r / "etc/gshadow").write_text("".join(f"{g}:*::\n" for g in groups))
    yield r


def dpkg(root: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return run("dpkg", f"--root={root}", "--force-script-chrootless", "--force-depends",
               "--force-confold", "--log=/dev/null", *args)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def ids(root: Path, user: str) -> tuple[int, int]:
    for line in (root / "etc/passwd").read_text().splitlines():
        name, _, uid, gid, *_ = line.split(":")
        if name == user:
            return int(uid), int(gid)
    raise AssertionError(f"no user {user}")


def test_install_upgrade_remove_purge_in_a_throw_away_root(debs: dict[str, Path], root: Path) -> None:
    dpkg(root, "-i", debs[SERVER], debs[KIOSK])

    # Users: one system user per service, no login, the kiosk in its device groups.
    passwd = (root / "etc/passwd").read_text()
    assert re.search(r"^hallqueue:x:\d+:\d+:[^:]*:/var/lib/hall-queue:/usr/sbin/nologin$", passwd, re.M)
    assert re.search(r"^hallkiosk:x:\d+:\d+:[^:]*:/var/lib/hall-kiosk:/usr/sbin/nologin$", passwd, re.M)
    for uid in (ids(root, "hallqueue")[0], ids(root, "hallkiosk")[0]):
        assert uid < 1000  # system users
    group = (root / "etc/group").read_text()
    for g in ("dialout", "lp", "video", "input"):
        assert re.search(rf"^{g}:x:\d+:.*\bhallkiosk\b", group, re.M), g

    # Server: data directory, secret and database owned by the service, nobody else reads them.
    data = root / "var/lib/hall-queue"
    uid, gid = ids(root, "hallqueue")
    secret, db = data / "id-secret.key", data / "queue.sqlite3"
    for path, want in ((data, 0o750), (data / "backups", 0o750), (secret, 0o600)):
        assert (path.stat().st_uid, path.stat().st_gid, mode(path)) == (uid, gid, want), path
    assert re.fullmatch(r"[0-9a-f]{64}", secret.read_text())
    assert db.stat().st_uid == uid and mode(db) & 0o007 == 0
    py = root / "opt/hall-queue-server/venv/bin/python"
    version = run("sqlite3", db, "SELECT version_num FROM alembic_version").stdout.strip()
    head = run(py, "-c", "from queue_server.db.backup import head_revision; print(head_revision())",
               cwd=root).stdout
    assert version == head.strip()

    # Kiosk: its configuration, written by its maintenance mode, is its own and private.
    kuid = ids(root, "hallkiosk")[0]
    conf = root / "etc/hall-kiosk/kiosk.toml"
    assert (conf.stat().st_uid, mode(conf)) == (kuid, 0o600)
    assert (root / "etc/hall-kiosk").stat().st_uid == kuid and mode(root / "var/lib/hall-kiosk") == 0o750

    # The environments work on this machine's python3 and hold only their side (run away from the
    # checkout, whose packages would otherwise be importable from the working directory).
    kpy = root / "opt/hall-kiosk/venv/bin/python"
    run(py, "-c", "import queue_server.api.app, drivers.idcard.idnumber", cwd=root)
    run(kpy, "-c", "import kiosk.config, drivers.printer.connection, PySide6.QtCore", cwd=root)
    for python, foreign in ((py, "PySide6"), (kpy, "queue_server"), (kpy, "fastapi")):
        done = subprocess.run([python, "-c", f"import {foreign}"], capture_output=True, cwd=root)
        assert done.returncode != 0, (python, foreign)
    shebang = (root / "opt/hall-queue-server/venv/bin/queue-server").read_text().splitlines()[0]
    assert shebang == "#!/opt/hall-queue-server/venv/bin/python"

    # Upgrade (the same packages again): configuration and data stay, migrations run again.
    env = root / "etc/hall-queue/server.env"
    env.write_text(env.read_text() + "QUEUE_PUBLIC_URL=https://hall.example.gov.cn\n")
    conf.write_text(conf.read_text() + "\n# set by the technician\n")
    key = secret.read_text()
    run(py, "-m", "queue_server", "import-hall", ROOT / "config/hall.example.toml", "--db", f"sqlite:///{db}",
        env={**os.environ, "QUEUE_DATA_DIR": str(data)})
    dpkg(root, "-i", debs[SERVER], debs[KIOSK])
    assert "QUEUE_PUBLIC_URL=https://hall.example.gov.cn" in env.read_text()
    assert "# set by the technician" in conf.read_text()
    assert secret.read_text() == key
    assert run("sqlite3", db, "SELECT code FROM halls").stdout.strip() == "xiqu"

    # Remove keeps the data and configuration; purge removes them.
    dpkg(root, "-r", SERVER, KIOSK)
    assert not (root / "opt/hall-queue-server/venv").exists()
    assert db.exists() and secret.read_text() == key and conf.exists()
    dpkg(root, "--purge", SERVER, KIOSK)
    assert not data.exists() and not (root / "etc/hall-kiosk").exists()


def test_systemd_units_verify_clean_in_the_installed_root(debs: dict[str, Path], tmp_path: Path) -> None:
    r = tmp_path / "root"
    for deb in debs.values():
        run("dpkg-deb", "-x", deb, r)
    # What the units rely on from the rest of the system: systemd's own units and cage.
    shutil.copytree("/lib/systemd/system", r / "lib/systemd/system", dirs_exist_ok=True, symlinks=True,
                    ignore=lambda d, names: [n for n in names if (r / "lib/systemd/system" / n).exists()])
    cage = shutil.which("cage")
    assert cage, "cage is not installed (scripts/setup.sh installs it)"
    (r / "usr/bin").mkdir(parents=True, exist_ok=True)
    shutil.copy(cage, r / "usr/bin/cage")
    done = subprocess.run(["systemd-analyze", "verify", f"--root={r}", *UNITS],
                          cwd=r / "lib/systemd/system", capture_output=True, text=True, timeout=120)
    # verify only warns about unknown keys and the like: any output at all is a finding.
    assert done.returncode == 0 and not done.stdout.strip() and not done.stderr.strip(), done.stderr
    kiosk = (r / "lib/systemd/system/hall-kiosk.service").read_text()
    for line in ("Type=notify", "WatchdogSec=30", "Restart=always", "TTYPath=/dev/tty1",
                 "ExecStart=/usr/bin/cage -d -- /opt/hall-kiosk/venv/bin/kiosk", "User=hallkiosk"):
        assert line in kiosk.splitlines(), line


def test_systemd_analyze_verify_finds_a_mistake(tmp_path: Path) -> None:
    """The check above can fail: a misspelt key is reported."""
    unit = tmp_path / "broken.service"
    unit.write_text("[Service]\nExecStart=/bin/true\nWatchdogSecs=30\n")
    done = subprocess.run(["systemd-analyze", "verify", unit], capture_output=True, text=True, timeout=60)
    assert "Unknown key" in done.stderr


@pytest.fixture
def nginx_site(tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    """The nginx template running on free ports with a throw-away certificate (no upstream)."""
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=test", "-days", "1",
        "-keyout", tmp_path / "privkey.pem", "-out", tmp_path / "fullchain.pem")
    http, https = free_port(), free_port()
    site = (ROOT / "packaging/nginx/hall-queue.conf").read_text()
    site = site.replace("/etc/ssl/hall-queue", str(tmp_path)).replace("/var/log/nginx", str(tmp_path))
    site = re.sub(r"listen \[::\]:\d+[^;]*;\n", "", site)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http};")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n include {tmp_path}/site.conf;\n}}\n"
    )
    run("nginx", "-t", "-p", tmp_path, "-c", tmp_path / "nginx.conf")
    proc = subprocess.Popen(["nginx", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
                             "-g", "daemon off;"], stderr=subprocess.PIPE)

    def up() -> bool:
        try:
            httpx.get(f"http://127.0.0.1:{http}/", timeout=1)
            return True
        except httpx.HTTPError:
            return False

    try:
        wait_until(up, 20, "nginx answering")
        yield f"http://127.0.0.1:{http}", f"https://127.0.0.1:{https}", tmp_path
    finally:
        proc.terminate()
        proc.wait(10)


def test_nginx_redirects_to_https_and_logs_no_credential(nginx_site: tuple[str, str, Path]) -> None:
    http, https, logs = nginx_site
    r = httpx.get(f"{http}/ui/display/xiqu/a?token=SECRET-IN-QUERY", follow_redirects=False)
    assert r.status_code == 301 and r.headers["location"].startswith("https://")
    with httpx.Client(verify=False, timeout=5) as client:
        for path in ("/ui/pad/xiqu/05?token=SECRET-PAD", "/t/SECRET-TICKET-TOKEN",
                     "/api/v1/halls/xiqu/events?access_token=SECRET-STREAM&zone=a"):
            r = client.get(https + path)
            assert r.status_code == 502  # no queue server behind it here
            assert r.headers["strict-transport-security"].startswith("max-age=")
        assert client.post(f"{https}/api/v1/auth/login", content=b"x" * (2 * 1024 * 1024)).status_code == 413
    access = (logs / "hall-queue.access.log").read_text()
    assert access.count("\n") >= 5 and "/ui/pad/xiqu/05?[redacted]" in access
    for log in logs.glob("*.log"):
        assert "SECRET" not in log.read_text(), log.name


def test_udev_rules_are_well_formed_and_name_what_the_kiosk_uses() -> None:
    rules = (ROOT / "packaging/udev/61-hall-kiosk-devices.rules").read_text()
    lines = [ln for ln in rules.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    keys = r"SUBSYSTEM|KERNEL|ENV\{\w+\}|ATTRS?\{\w+\}|GROUP|MODE|SYMLINK|TAG"
    pair = re.compile(rf'^({keys})(==|\+=|=)"[^"]*"$')
    for line in lines:
        for part in line.split(", "):
            assert pair.match(part), part
    printers = [ln for ln in lines if 'SUBSYSTEM=="usb"' in ln]
    usb_ids = re.compile(r'idVendor}=="[0-9a-f]{4}".*idProduct}=="[0-9a-f]{4}"')
    assert printers and all(usb_ids.search(p) for p in printers)
    assert all('GROUP="hallkiosk"' in p for p in printers)
    example = (ROOT / "config/kiosk.example.toml").read_text()
    for link in ("idcard", "qrscanner"):
        assert f'SYMLINK+="{link}"' in rules and f'"/dev/{link}"' in example
    # The example configuration's printer is one the rules know.
    vid, pid = re.search(r'url = "usb://([0-9a-f]{4}):([0-9a-f]{4})"', example).groups()  # type: ignore[union-attr]
    assert f'ATTR{{idVendor}}=="{vid}", ATTR{{idProduct}}=="{pid}"' in rules
