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

And the preview keeps answering whatever happens to the profile (`guard` again, in `serve`):

- The profile (and each list file it names, `outlets_file: 网点清单.csv`) is watched by the preview itself, not through MkDocs' `watch` setting, which MkDocs
  checks at every rebuild: a profile deleted or renamed made the configuration invalid, the rebuild
  failed and every request waited for a build that never came. The profile's folder is watched (not
  the file, whose watch may end with it) and only events naming the profile count; each one adds a
  byte to a stamp file in the project, which MkDocs watches. A missing, unreadable or replaced
  profile is then `make_bundle`'s error, shown on the home page like any other, and when the file
  comes back the site does too.
- The generated `docs/` folder, which the hook rewrites at every build, is not watched: it
  triggered the next rebuild, for ever.
- A rebuild that fails all the same (a bug, a removed temporary folder) does not leave the server
  waiting: the home page says so, in Chinese, and the next change rebuilds.
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import html
import logging
import mimetypes
import os
import re
import signal
import socket
import sys
import threading
from pathlib import Path

from generator.errors import AftersalesError, display

HOST = "127.0.0.1"
LOCAL_NAMES = frozenset({"127.0.0.1", "localhost", "[::1]"})
_HOST_HEADER = re.compile(r"(\[[0-9a-f:.]*\]|[^:\[\]]*)(?::[0-9]*)?")
_FORBIDDEN = "403 禁止访问：预览只回答本机的浏览器（http://127.0.0.1 或 http://localhost）。\n".encode()
STAMP = "profile-changed.txt"  # in the temporary project: a byte is added whenever the profile changes
_log = logging.getLogger("aftersales.preview")


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


def guard(server, downloads=None):
    """Put `local_only` in front of an MkDocs LiveReloadServer's application (and `with_downloads`,
    given the function that makes them) and make its rebuilds never leave it waiting (`keep_answering`);
    inside `serve`, also watch the profile (`_Served.watch`). Once each; returns the server."""
    app = server.get_app()
    if not getattr(app, "local_only", False):
        server.set_app(local_only(app if downloads is None else with_downloads(app, downloads)))
    if not getattr(server.builder, "keeps_answering", False):
        server.builder = keep_answering(server.builder, Path(server.root), _served)
    if _served is not None and not getattr(server, "aftersales_watching", False):
        _served.watch(server)
        server.aftersales_watching = True
    return server


def with_downloads(app, made):
    """The WSGI application `app`, answering a GET or HEAD of /downloads/NAME with `made(path)`'s bytes
    (path "downloads/NAME"; None: not a download, `app` answers). A download that cannot be made
    answers 500 with the reason, in Chinese."""
    def served(environ, start_response):
        path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "replace").lstrip("/")
        method = environ.get("REQUEST_METHOD", "GET")
        if not path.startswith("downloads/") or method not in ("GET", "HEAD"):
            return app(environ, start_response)
        try:
            data = made(path)
        except AftersalesError as exc:
            reason = f"无法生成 {path}：{exc.message}\n".encode()
            start_response("500 Internal Server Error", [("Content-Type", "text/plain; charset=utf-8"),
                                                         ("Content-Length", str(len(reason)))])
            return [reason]
        if data is None:
            return app(environ, start_response)
        kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
        if kind.startswith("text/"):
            kind += "; charset=utf-8"
        start_response("200 OK", [("Content-Type", kind), ("Content-Length", str(len(data)))])
        return [b""] if method == "HEAD" else [data]

    return served


def keep_answering(build, site: Path, served: _Served | None = None):
    """`build` (MkDocs' rebuild), never raising: MkDocs' server answers no request after a failed
    rebuild until one succeeds. A failure is logged and becomes the home page, in Chinese."""
    def rebuild(*args, **kwargs):
        try:
            return build(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 -- whatever it is, the preview goes on answering
            reason = exc.message if isinstance(exc, AftersalesError) else f"{type(exc).__name__}: {exc}"
            reason = reason.strip().rstrip("。.")
            profile = display(served.profile) if served is not None else "企业档案"
            todo = (f"预览仍在运行：请检查 {profile}，修改后保存即自动更新；"
                    "如果问题依旧，按 Ctrl+C 退出后重新运行 aftersales serve")
            _log.error(f"预览未能更新：{reason}。{todo}")
            _failure_page(site, reason, todo)
        return None

    rebuild.keeps_answering = True
    return rebuild


def _failure_page(site: Path, reason: str, todo: str) -> None:
    page = ('<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>预览未能更新</title></head>\n'
            f"<body><h1>预览未能更新</h1>\n<p>{html.escape(reason)}</p>\n<p>{html.escape(todo)}</p>\n</body></html>\n")
    try:
        site.mkdir(parents=True, exist_ok=True)
        (site / "index.html").write_text(page, encoding="utf-8")
    except OSError as exc:
        _log.error(f"无法写出预览的说明页 {display(site / 'index.html')}：{exc.strerror or exc}")


class _Served:
    """What `serve` is serving, for `guard`, which the project's hook runs inside it."""

    def __init__(self, config_file: Path, settings: dict):
        folder = Path(os.path.abspath(config_file)).parent
        self.profile = Path(os.path.abspath(settings["extra"]["aftersales_profile"]))
        self.docs = folder / settings.get("docs_dir", "docs")
        self.stamp = folder / STAMP
        self.stamp.write_bytes(b"")
        self._lock = threading.Lock()
        self._seen: tuple | None = None
        self._native = None

    def watch(self, server) -> None:
        """Rebuild when the profile or a list file it names (`outlets_file: 网点清单.csv`) changes, is
        saved by renaming, removed, replaced or comes back; not when the generated pages do.

        The folders are watched twice: by the system's own notification (inotify, FSEvents,
        ReadDirectoryChangesW: at once), where it works, and by MkDocs' polling (every half second:
        on any file system). A change is told once, however many see it (`_changed`), and MkDocs is
        told at once (`_tell`) rather than at its next look at the stamp file."""
        try:
            server.unwatch(str(self.docs))
        except KeyError:  # not watched
            pass
        server.watch(str(self.stamp))
        server.build_delay = 0.03  # MkDocs waits that long for more changes (0.1 s): a save is built once
        self._server = server
        self._observers = [server.observer]
        try:
            from watchdog.observers import Observer

            native = Observer()
            native.start()
        except Exception as exc:  # noqa: BLE001 -- no notification here (a limit reached): polling alone
            _log.debug(f"no file notification: {exc}")
        else:
            self._native = native
            self._observers.append(native)
        self._folders: set[str] = set()
        self._follow()
        self._seen = self._state()

    def stop(self) -> None:
        if self._native is not None:
            self._native.stop()
            self._native.join(timeout=5)
            self._native = None

    def _follow(self) -> None:
        """Watch the folders of the profile and of the list files it names now (a folder, not a file,
        whose watch may end with it)."""
        from watchdog.events import FileSystemEventHandler

        from generator.intake.source import input_files

        self.files = {os.path.normcase(os.path.abspath(f)) for f in input_files(self.profile)}
        for folder in sorted({os.path.dirname(f) for f in self.files} - self._folders):
            if not os.path.isdir(folder):
                continue  # a list file's folder that is not there: told by the build
            handler = FileSystemEventHandler()
            handler.on_any_event = self._changed
            for observer in self._observers:
                try:
                    observer.schedule(handler, folder, recursive=False)
                except Exception as exc:  # noqa: BLE001 -- the notification refused it: polling still watches
                    if observer is self._observers[0]:
                        raise
                    _log.debug(f"no file notification for {folder}: {exc}")
            self._folders.add(folder)

    def _state(self) -> tuple:
        """The watched files' contents (the error's number where one cannot be read): a change seen by both watches, or
        an event that changed nothing (a file opened and closed), is told once or not at all."""
        state = []
        for name in sorted(getattr(self, "files", ()) or {os.path.normcase(str(self.profile))}):
            try:
                with open(name, "rb") as file:
                    state.append((name, hashlib.sha256(file.read()).digest()))
            except OSError as exc:  # gone, a folder, unreadable: each a different page
                state.append((name, exc.errno))
        return tuple(state)

    def _changed(self, event) -> None:
        if event.event_type in ("opened", "closed_no_write"):  # read, not changed (the build reads it too)
            return
        named = {os.path.normcase(os.fsdecode(p)) for p in (event.src_path, getattr(event, "dest_path", "")) if p}
        if not named & self.files:
            return
        with self._lock:  # the two watches' threads
            state = self._state()
            if state == self._seen:
                return
            self._seen = state
            if os.path.normcase(str(self.profile)) in named:
                try:
                    self._follow()  # the profile may name other list files now
                except Exception as exc:  # never stop watching the profile itself
                    _log.error(f"无法读取企业档案中的表格文件（{exc}）")
                self._seen = self._state()
            self._tell()

    def _tell(self) -> None:
        """Tell MkDocs' server to rebuild: an event for the stamp file, as its polling would find
        (watchdog's emitter of that file); where that cannot be done, a byte added to the stamp, which
        its polling finds within half a second."""
        stamp = os.path.abspath(self.stamp)
        try:
            from watchdog.events import FileModifiedEvent

            for emitter in list(self._server.observer.emitters):
                watch = emitter.watch  # a file's watch: its folder is `path` since watchdog 5, the file `raw_path`
                if stamp in {os.path.abspath(p) for p in (watch.path, getattr(watch, "raw_path", None)) if p}:
                    emitter.queue_event(FileModifiedEvent(stamp))
                    return
        except Exception as exc:  # noqa: BLE001 -- the stamp file tells it then
            _log.debug(f"stamp event not queued: {exc}")
        try:
            with open(self.stamp, "ab") as file:  # longer each time: seen however coarse the clock
                file.write(b".")
        except OSError as exc:
            _log.error(f"无法记录企业档案的修改（{display(self.stamp)}：{exc.strerror or exc}），"
                       "预览不会再自动更新：请按 Ctrl+C 退出后重新运行 aftersales serve")


_served: _Served | None = None  # set by `serve` while it runs


class _Shown:
    """The company the preview's pages were last made from (None: its profile has mistakes), and the
    downloads of it made so far: MkDocs loads the project's hook afresh for each rebuild, this module once."""

    def __init__(self):
        self._prepared = None
        self._made: dict[str, bytes] = {}
        self._lock = threading.Lock()  # the server answers each request in a thread of its own
        self.pages: list[str] = []  # the pages of the last company shown: while the profile has mistakes, each says so
        self.title: str | None = None  # and its site's title and menu, kept meanwhile
        self.menu: list = []

    def show(self, prepared, pages: list[str] | None = None) -> None:
        with self._lock:
            self._prepared, self._made = prepared, {}
            if pages is not None:
                self.pages = pages

    def download(self, name: str) -> bytes | None:
        """The download `name` ("downloads/01-售后服务手册.docx") of the company shown, made now if
        not yet; None if it offers none such."""
        from generator.build import render_one
        from generator.output.site.pages import download, download_names

        with self._lock:
            prepared = self._prepared
            if prepared is None or name not in download_names(prepared):
                return None
            if name not in self._made:
                self._made[name] = (render_one(prepared, name.removeprefix("downloads/")).data
                                    if name.endswith(".docx") else download(prepared, name))
            return self._made[name]


SHOWN = _Shown()


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

    global _served
    settings = yaml.safe_load(Path(config_file).read_text(encoding="utf-8"))
    if not any(Path(hook).name == "serve_hook.py" for hook in settings.get("hooks", [])):  # it guards the server
        raise ValueError(f"{config_file} was not written by site.write_project(serve_profile=...)")
    if settings.pop("watch", None) is not None:  # MkDocs refuses a missing watched path: `guard` watches instead
        Path(config_file).write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    check_port(port)
    _served = _Served(config_file, settings)
    try:
        mkdocs_serve(str(config_file), livereload=True, dev_addr=f"{HOST}:{port}")
    except OSError as exc:
        if exc.errno in (errno.EADDRINUSE, errno.EACCES) and exc.filename is None:  # taken during the first build
            raise port_error(port, exc) from None
        raise
    finally:
        _served.stop()
        _served = None


def serve_profile(profile: Path, port: int) -> None:
    """`aftersales serve PROFILE --port N`: preview the company's site, rebuilt whenever `profile` changes.

    A profile that is not there, or a port that cannot be used, is reported before anything is served;
    a profile with mistakes is previewed all the same (they are printed, and listed on the home page
    until it is fixed: one may start the preview to fix them). The temporary project is removed on exit."""
    import tempfile

    from generator.prepare import prepare
    from generator.output.site.project import write_project
    from generator.output.site.shared import quiet_jieba
    from generator.output.site.pages import nav, site_pages

    if not Path(profile).is_file():
        prepare(profile)  # not there, or a folder: said as every command says it
    try:
        prepared = prepare(profile)
    except AftersalesError as exc:
        prepared = None
        print(exc.render(), file=sys.stderr)
        print("预览照常启动：首页列出这些问题，改正并保存后自动更新", file=sys.stderr, flush=True)
    check_port(port)
    with contextlib.suppress(_Stopped), _stopped_like_ctrl_c(), \
            tempfile.TemporaryDirectory(prefix="aftersales-serve-") as folder:
        if prepared is None:  # the hook writes the page of mistakes; the title and menu follow the fixed profile
            pages, title, menu = {"index.md": "# 企业档案有误\n"}, Path(profile).stem, [{"企业档案有误": "index.md"}]
        else:
            pages, title, menu = site_pages(prepared, downloads=False), prepared.profile.company.short_name, nav(prepared)
        config = write_project(pages, Path(folder), title, menu,
                               serve_profile=profile.resolve(), serve_hook=Path(__file__).with_name("serve_hook.py"))
        logging.basicConfig(level=logging.INFO, format="%(message)s")
        logging.getLogger("mkdocs.structure.nav").addFilter(_no_missing_pages)
        logging.getLogger("mkdocs.structure.pages").addFilter(_no_missing_downloads)
        quiet_jieba()
        print(f"预览：http://{HOST}:{port}/ （修改 {profile} 后自动更新，Ctrl+C 退出）", flush=True)
        serve(config, port)


class _Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP: MkDocs takes it for Ctrl+C; `serve_profile` then ends quietly."""


@contextlib.contextmanager
def _stopped_like_ctrl_c():
    """SIGTERM (`timeout`, `kill`, a service manager) and SIGHUP (the terminal closed) stop the
    preview as Ctrl+C does: MkDocs shuts its server down and the temporary folders are removed (the
    default action ended the process at once, leaving them). Once: a second signal is ignored while
    the preview cleans up. A signal already ignored (`nohup`) stays ignored; the previous handlers
    come back afterwards."""
    def stop(signum, frame):
        for number in previous:
            signal.signal(number, signal.SIG_IGN)
        raise _Stopped

    previous = {}
    try:
        for name in ("SIGTERM", "SIGHUP"):
            number = getattr(signal, name, None)
            if number is not None and signal.getsignal(number) is not signal.SIG_IGN:
                previous[number] = signal.signal(number, stop)
    except ValueError:  # not the main thread: signals stay as they are
        pass
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _no_missing_pages(record: logging.LogRecord) -> bool:
    """MkDocs' English line for each page of the menu that a profile with mistakes has not made (its
    home page lists the mistakes instead): dozens of them, saying nothing to do."""
    return "which is not found in the documentation files" not in record.getMessage()


def _no_missing_downloads(record: logging.LogRecord) -> bool:
    """MkDocs' line for each link to a download: the preview makes a download when it is asked for
    (`with_downloads`), so the files are not among the pages MkDocs knows."""
    return not _DOWNLOAD_LINK.search(record.getMessage())


_DOWNLOAD_LINK = re.compile(r"contains a link '(\.\./)*downloads/[^']*', but the target\b")


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
