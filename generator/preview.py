"""`aftersales serve`: MkDocs' own live-reloading server, answering this computer's browser only.

The preview is MkDocs' `serve` on a temporary project (`site.write_project(serve_profile=...)`), whose
hook (`serve_hook.py`) rebuilds the pages when the profile changes. Two things are added:

- Requests must name this computer in their Host header (127.0.0.1, localhost or [::1], any port, as
  through an SSH tunnel). Any other name gets 403 and no page: a web page elsewhere cannot point its
  own domain at 127.0.0.1 (DNS rebinding) and read the company's preview. `serve_hook.on_serve` puts
  `local_only` in front of MkDocs' WSGI application before the server starts (MkDocs' `on_serve` event
  and wsgiref's `get_app`/`set_app`: no MkDocs code copied or patched).
- A port that cannot be used (taken, or not allowed) is a user error naming the port and another to
  try, found before the first build, not a traceback after it.
"""
from __future__ import annotations

import errno
import os
import re
import socket
from pathlib import Path

from .errors import AftersalesError

HOST = "127.0.0.1"
LOCAL_NAMES = frozenset({"127.0.0.1", "localhost", "[::1]"})
_HOST_HEADER = re.compile(r"(\[[0-9a-f:.]*\]|[^:\[\]]*)(?::[0-9]*)?")
_FORBIDDEN = "403 禁止访问：预览只回答本机的浏览器（http://127.0.0.1 或 http://localhost）。\n".encode()


def is_local(host_header: str | None) -> bool:
    """Whether a request's Host header names this computer: 127.0.0.1, localhost or [::1], any port."""
    parts = _HOST_HEADER.fullmatch((host_header or "").strip().lower())
    return parts is not None and parts[1] in LOCAL_NAMES


def local_only(app):
    """The WSGI application `app`, answering 403 to a request whose Host is not this computer."""
    def guarded(environ, start_response):
        if is_local(environ.get("HTTP_HOST")):
            return app(environ, start_response)
        start_response("403 Forbidden", [("Content-Type", "text/plain; charset=utf-8"),
                                         ("Content-Length", str(len(_FORBIDDEN)))])
        return [_FORBIDDEN]

    guarded.local_only = True
    return guarded


def guard(server):
    """Put `local_only` in front of an MkDocs LiveReloadServer's application (once); returns the server."""
    app = server.get_app()
    if not getattr(app, "local_only", False):
        server.set_app(local_only(app))
    return server


def check_port(port: int) -> None:
    """Raise AftersalesError, in Chinese, if the preview cannot listen on `port` of 127.0.0.1."""
    if not 1 <= port <= 65535:
        raise AftersalesError(f"端口 {port} 无效：端口应在 1 到 65535 之间，例如 --port 8000")
    try:
        _try_bind(port)
    except OSError as exc:
        raise port_error(port, exc) from None


def port_error(port: int, exc: OSError) -> AftersalesError:
    if exc.errno == errno.EADDRINUSE:
        why = "已被其他程序占用（也许另一个预览还开着）"
    elif exc.errno == errno.EACCES:
        why = "不允许本用户使用（1024 以下的端口通常需要管理员权限）"
    else:
        why = f"无法使用（{exc.strerror or exc}）"
    return AftersalesError(f"端口 {port} {why}，无法启动预览。请换一个端口：--port {_free_port(port)}")


def serve(config_file: Path, port: int) -> None:
    """Serve the MkDocs project `config_file` (written by `site.write_project(serve_profile=...)`) on
    http://127.0.0.1:`port`/ until Ctrl+C, rebuilding and reloading the browser when its files change."""
    import yaml
    from mkdocs.commands.serve import serve as mkdocs_serve

    hooks = yaml.safe_load(Path(config_file).read_text(encoding="utf-8")).get("hooks", [])
    if not any(Path(hook).name == "serve_hook.py" for hook in hooks):  # it guards the server: never serve without
        raise ValueError(f"{config_file} was not written by site.write_project(serve_profile=...)")
    check_port(port)
    try:
        mkdocs_serve(str(config_file), livereload=True, dev_addr=f"{HOST}:{port}")
    except OSError as exc:
        if exc.errno in (errno.EADDRINUSE, errno.EACCES) and exc.filename is None:  # taken during the first build
            raise port_error(port, exc) from None
        raise


def serve_profile(profile: Path, port: int) -> None:
    """`aftersales serve PROFILE --port N`: preview the company's site, rebuilt whenever `profile` changes.

    A profile with mistakes, or a port that cannot be used, is reported before anything is served;
    the temporary project is removed on exit."""
    import logging
    import tempfile

    from .build import make_bundle
    from .site import quiet_jieba, write_project
    from .site_pages import nav, site_pages

    bundle = make_bundle(profile)  # a profile with mistakes is reported before serving
    check_port(port)
    with tempfile.TemporaryDirectory(prefix="aftersales-serve-") as folder:
        config = write_project(site_pages(bundle), Path(folder), bundle.profile.company.short_name, nav(bundle),
                               serve_profile=profile.resolve())
        logging.basicConfig(level=logging.INFO, format="%(message)s")
        quiet_jieba()
        print(f"预览：http://{HOST}:{port}/ （修改 {profile} 后自动更新，Ctrl+C 退出）", flush=True)
        serve(config, port)


def _try_bind(port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        if os.name != "nt":  # as the server does (socketserver's allow_reuse_address); on Windows it would share
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((HOST, port))
        probe.listen(1)


def _free_port(busy: int) -> int:
    """A port near `busy` that can be used now, to suggest (8001 if none is found)."""
    for port in [*range(busy + 1, min(busy + 20, 65535) + 1), 8001, 8080]:
        if port != busy:
            try:
                _try_bind(port)
            except OSError:
                continue
            return port
    return 8001
