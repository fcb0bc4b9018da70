"""`aftersales serve` answers this computer's browser only and reports a port it cannot use; the sites
link only to http, https, mailto, tel and relative URLs, whatever HTML reaches them."""
from __future__ import annotations

import html
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from conftest import HUALAN, ROOT
from generator.cli import main
from generator.errors import AftersalesError
from generator.text.html_safety import ALLOWED_SCHEMES, URL_ATTRIBUTES, safe_links
from generator.commands.preview import check_port, is_local

# ---------------------------------------------------------------------------------------------------
# The preview server, run as `aftersales serve` runs it, in a process of its own that is always stopped

SERVE = """
import signal, sys
from pathlib import Path
signal.signal(signal.SIGINT, signal.default_int_handler)  # even if the test runner's SIGINT is ignored
from generator.errors import AftersalesError
from generator.commands.preview import serve_profile
try:
    serve_profile(Path(sys.argv[1]), int(sys.argv[2]))
except AftersalesError as exc:
    print(exc.render(), file=sys.stderr)
    sys.exit(exc.exit_code)
"""
START_TIMEOUT = 240  # seconds for the first build on a busy machine; nothing waits longer
REQUEST_TIMEOUT = 60


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Preview:
    def __init__(self, profile: Path, tmp: Path):
        self.profile, self.port, self.tmp = profile, _free_port(), tmp / "tmp"
        self.tmp.mkdir()
        self.log = tmp / "serve.log"
        env = {**os.environ, "TMPDIR": str(self.tmp), "PYTHONUNBUFFERED": "1"}
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen([sys.executable, "-c", SERVE, str(profile), str(self.port)], cwd=ROOT,
                                            env=env, stdout=log, stderr=subprocess.STDOUT)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_until_serving(self) -> None:
        """MkDocs listens once the first build is done."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the preview ended with {self.process.returncode}:\n{self.output()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.5)
        pytest.fail(f"the preview did not start within {START_TIMEOUT} s:\n{self.output()}")

    def get(self, path: str = "/", host: str | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request("GET", path, headers={"Host": f"127.0.0.1:{self.port}" if host is None else host})
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", errors="replace")
        finally:
            connection.close()

    def fetch(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, headers={"Host": f"127.0.0.1:{self.port}"})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def stop(self) -> int:
        """Ctrl+C, as a user stops it; killed if it does not end."""
        if self.process.poll() is None:
            if os.name == "nt":
                self.process.terminate()
            else:
                self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        return self.process.returncode


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """One preview of a copy of the home-appliance example (the tests may edit the copy)."""
    tmp = tmp_path_factory.mktemp("preview")
    profile = tmp / "company.yaml"
    shutil.copyfile(HUALAN, profile)
    server = Preview(profile, tmp)
    try:
        server.wait_until_serving()
        yield server
    finally:
        server.stop()


@pytest.mark.slow
@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "127.0.0.1", "LocalHost:{port}"])
def test_preview_answers_this_computer(preview, host):
    status, page = preview.get("/", host.format(port=preview.port))
    assert status == 200
    assert "华澜" in page
    assert "livereload(" in page  # MkDocs' reload script: the browser reloads after a rebuild


@pytest.mark.slow
@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example:{port}",
                                  "localhost.evil.example", "127.0.0.1:{port},evil.example", ""])
@pytest.mark.parametrize("path", ["/", "/index.html", "/manual/index.html", "/livereload/1/1", "/nowhere"])
def test_preview_refuses_other_host_names(preview, host, path):
    """DNS rebinding: a page of evil.example whose name now resolves to 127.0.0.1 gets nothing."""
    status, page = preview.get(path, host.format(port=preview.port))
    assert status == 403
    assert "华澜" not in page and "<html" not in page.lower()
    assert "本机" in page


@pytest.mark.slow
def test_preview_refuses_a_request_without_host_name(preview):
    with socket.create_connection(("127.0.0.1", preview.port), timeout=REQUEST_TIMEOUT) as connection:
        connection.sendall(b"GET / HTTP/1.0\r\n\r\n")
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.0 403") and "华澜".encode() not in answer


@pytest.mark.slow
def test_preview_rebuilds_when_the_profile_changes(preview):
    text = preview.profile.read_text(encoding="utf-8")
    assert text.count("佛山市华澜电器有限公司") == 1
    renamed = text.replace("佛山市华澜电器有限公司", "佛山市华澜电器股份有限公司")
    preview.profile.write_text(renamed, encoding="utf-8")
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        status, page = preview.get("/")
        if "佛山市华澜电器股份有限公司" in page:
            assert status == 200
            return
        time.sleep(1)
    pytest.fail(f"the page was not rebuilt within {START_TIMEOUT} s:\n{preview.output()}")


def _home_until(preview: Preview, wanted: str) -> str:
    """The home page's text once it contains `wanted`: every request is answered meanwhile."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        status, page = preview.get("/")
        assert status == 200, page
        text = html.unescape(re.sub(r"<[^>]+>", "", page))
        if wanted in text:
            return text
        time.sleep(0.5)
    pytest.fail(f"the home page never showed {wanted!r} within {START_TIMEOUT} s:\n{preview.output()}")


def _saved(profile: Path, text: str) -> None:
    """Saved as many editors save: a new file renamed over the old one (one change, told at once)."""
    partial = profile.with_name(profile.name + ".saving")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, profile)


@pytest.mark.slow
def test_preview_makes_each_download_from_the_company_shown(tmp_path):
    """The preview makes a download when it is asked for (not at every save): every file the pages
    link to answers, with its type, and shows the profile as last saved; a save rebuilds once."""
    import io
    import urllib.parse

    import docx
    import openpyxl

    profile = tmp_path / "company.yaml"
    text = HUALAN.read_text(encoding="utf-8")
    assert "400-830-6688" in text  # the hotline
    profile.write_text(text, encoding="utf-8")
    server = Preview(profile, tmp_path)
    try:
        server.wait_until_serving()
        _home_until(server, "400-830-6688")
        links = set()
        for page in ("/index.html", "/manual/index.html"):
            status, body = server.get(page)
            links |= {urllib.parse.urljoin(page, html.unescape(href))
                      for href in re.findall(r'href="((?:\.\./)?downloads/[^"#]+)"', body)}
        assert {link.rsplit(".", 1)[1] for link in links} == {"docx", "csv", "xlsx"}, links
        assert len(links) >= 7  # five documents, the trace matrix twice

        def manual_text() -> str:
            status, headers, data = server.fetch(urllib.parse.quote("/downloads/01-售后服务手册.docx"))
            assert status == 200 and headers["Content-Type"].endswith("wordprocessingml.document")
            return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)

        for link in sorted(links):
            status, headers, data = server.fetch(urllib.parse.quote(link))
            assert status == 200, link
            assert int(headers["Content-Length"]) == len(data) > 0
            if link.endswith(".xlsx"):
                assert openpyxl.load_workbook(io.BytesIO(data)).active.max_row > 10
            elif link.endswith(".csv"):
                assert headers["Content-Type"] == "text/csv; charset=utf-8" and "5.3.2" in data.decode("utf-8-sig")
            else:
                assert docx.Document(io.BytesIO(data)).paragraphs
        status, headers, data = server.fetch(urllib.parse.quote(sorted(links)[0]), "HEAD")
        assert status == 200 and data == b"" and int(headers["Content-Length"]) > 0
        assert server.fetch(urllib.parse.quote("/downloads/99-不存在.docx"))[0] == 404
        assert "400-830-6688" in manual_text()

        builds = server.output().count("Building documentation")
        _saved(profile, text.replace("400-830-6688", "400-830-7777"))
        _home_until(server, "400-830-7777")
        assert "400-830-7777" in manual_text() and "400-830-6688" not in manual_text()
        time.sleep(1.5)  # MkDocs' polling has seen the save too by now
        assert server.output().count("Building documentation") == builds + 1, server.output()

        _saved(profile, "company: [\n")
        _home_until(server, "企业档案有误")
        assert server.fetch(urllib.parse.quote("/downloads/01-售后服务手册.docx"))[0] == 404
        for page in ("/manual/index.html", "/manual/05.html", "/guide/5-3-2.html", "/application.html"):
            status, body = server.get(page)  # the page a reader was on says what is wrong, not "404"
            assert status == 200 and "企业档案有误" in body and "本页在档案改正并保存后自动恢复" in body, page
            assert "YAML 语法错误" in body, page
            assert "- 华澜电器</title>" in body  # under the title of the company last shown

        _saved(profile, text)
        _home_until(server, "400-830-6688")
        status, body = server.get("/manual/05.html")
        assert status == 200 and "企业档案有误" not in body

        short = re.search(r"short_name: (\S+)", text)[1]  # renamed: the site's title follows
        _saved(profile, text.replace(f"short_name: {short}", "short_name: 澜庭家电"))
        _home_until(server, "澜庭家电")
        status, body = server.get("/manual/05.html")
        assert "<title>" in body and "- 澜庭家电</title>" in body, body[:500]
    finally:
        server.stop()


@pytest.mark.slow
def test_a_profile_with_mistakes_is_previewed_to_be_fixed(tmp_path):
    """Found by a stranger: `serve` refused to start on a profile with mistakes, though it shows them
    when they come later; one may start the preview precisely to fix them."""
    profile = tmp_path / "company.yaml"
    text = HUALAN.read_text(encoding="utf-8")
    profile.write_text(text.replace("employees: 860", "employees: 很多"), encoding="utf-8")
    server = Preview(profile, tmp_path)
    try:
        server.wait_until_serving()
        page = _home_until(server, "企业档案有误")
        assert "company.employees" in page and "很多" in page
        assert "预览照常启动" in server.output() and "company.employees" in server.output()  # said in the terminal too
        _saved(profile, text)
        _home_until(server, "佛山市华澜电器有限公司")
        status, body = server.get("/manual/05.html")
        assert status == 200 and "- 华澜电器</title>" in body  # the title and menu of the fixed profile
    finally:
        server.stop()


def test_serve_on_a_profile_that_is_not_there_exits_2(tmp_path, capsys):
    assert main(["serve", str(tmp_path / "没有.yaml"), "--port", str(_free_port())]) == 2
    assert "找不到文件" in capsys.readouterr().err


@pytest.mark.slow
def test_preview_keeps_answering_whatever_happens_to_the_profile(tmp_path):
    """Found by a stranger: the profile deleted, every request waited for ever (MkDocs checked the profile
    as a watched path of its configuration and stopped rebuilding). Gone, unreadable or a folder, it is
    now shown in Chinese on the home page, and the site comes back with the file."""
    profile = tmp_path / "company.yaml"
    shutil.copyfile(HUALAN, profile)
    server = Preview(profile, tmp_path)
    try:
        server.wait_until_serving()
        _home_until(server, "佛山市华澜电器有限公司")

        profile.rename(tmp_path / "renamed.yaml")
        text = _home_until(server, "企业档案有误")
        assert "找不到文件" in text and str(profile) in text and "请检查路径和文件名" in text

        profile.mkdir()
        text = _home_until(server, "是一个文件夹")
        assert str(profile) in text

        profile.rmdir()
        (tmp_path / "renamed.yaml").rename(profile)
        _home_until(server, "佛山市华澜电器有限公司")

        if os.name != "nt" and os.geteuid() != 0:  # root reads it anyway
            profile.chmod(0)
            text = _home_until(server, "无法读取")
            assert str(profile) in text
            profile.chmod(0o644)

        profile.unlink()  # deleted, then written again as an editor saves
        _home_until(server, "找不到文件")
        profile.write_text(HUALAN.read_text(encoding="utf-8").replace("佛山市华澜电器有限公司", "佛山市华澜电器股份有限公司"),
                           encoding="utf-8")
        _home_until(server, "佛山市华澜电器股份有限公司")

        builds = server.output().count("Building documentation")
        time.sleep(3)  # the hook's rewritten pages must not start another build, and another …
        assert server.output().count("Building documentation") == builds, server.output()
    finally:
        assert server.stop() == 0
    log = server.output()
    for english in ("Aborted", "appear stuck", "Traceback", "is not found in the documentation files"):
        assert english not in log, log


@pytest.mark.slow
def test_preview_rebuilds_when_a_list_file_changes(tmp_path):
    """A profile that takes its outlets from the company's own CSV in another folder: saving the CSV
    rebuilds the preview as saving the profile does."""
    import csv

    from generator.inputs.yamlload import load_yaml_file

    data = load_yaml_file(HUALAN).data
    lists = tmp_path / "表格"
    lists.mkdir()
    table = lists / "网点清单.csv"
    fields = ["name", "province", "city", "address", "mode", "staff", "phone"]

    def write(outlets):
        with table.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.DictWriter(stream, fields)
            writer.writeheader()
            writer.writerows(outlets)

    outlets = data["resources"]["outlets"]
    write(outlets)
    text = HUALAN.read_text(encoding="utf-8")
    start = text.index("  outlets:\n")
    end = text.index("  hotline:")
    profile = tmp_path / "company.yaml"
    profile.write_text(text[:start] + "  outlets_file: 表格/网点清单.csv\n" + text[end:], encoding="utf-8")
    server = Preview(profile, tmp_path)
    try:
        server.wait_until_serving()
        _home_until(server, "佛山市华澜电器有限公司")
        write([{**outlets[0], "staff": "十二"}, *outlets[1:]])
        text = _home_until(server, "企业档案有误")
        assert "网点清单.csv:2:" in text
        write(outlets)
        _home_until(server, "佛山市华澜电器有限公司")
    finally:
        assert server.stop() == 0


def test_a_failed_rebuild_leaves_the_preview_answering(tmp_path, caplog):
    """Whatever else makes a rebuild fail, MkDocs' server must not wait for ever: the home page says so."""
    from generator.commands.preview import guard

    class Server:  # what guard uses of MkDocs' LiveReloadServer
        root = str(tmp_path / "site")

        def __init__(self):
            self.app = lambda environ, start_response: []

        def get_app(self):
            return self.app

        def set_app(self, app):
            self.app = app

        def builder(self):
            raise RuntimeError("mkdocs.yml vanished")

    server = guard(Server())
    assert guard(server) is server and server.builder() is None  # once; no exception
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "预览未能更新" in page and "mkdocs.yml vanished" in page and "Ctrl+C" in page
    assert "预览未能更新" in caplog.text


@pytest.mark.slow
def test_preview_stops_on_ctrl_c_and_removes_its_temporary_folders(preview):
    """Runs last in this file: it stops the module's preview."""
    assert preview.stop() == 0
    assert "Traceback" not in preview.output()
    left = [p.name for p in preview.tmp.iterdir() if p.name.startswith(("aftersales-serve-", "mkdocs_"))]
    assert left == []


def _busy_port():
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen(1)
    return holder, holder.getsockname()[1]


def _is_clear_chinese(error: AftersalesError, port: int) -> None:
    assert error.exit_code == 2
    text = error.render()
    assert str(port) in error.message and "--port" in error.message and "占用" in error.message
    assert re.search(r"--port (\d+)", error.message)[1] != str(port)
    assert "Traceback" not in text and "Errno" not in text


def test_busy_port_is_a_user_error_in_chinese():
    holder, port = _busy_port()
    with holder:
        with pytest.raises(AftersalesError) as caught:
            check_port(port)
    _is_clear_chinese(caught.value, port)


@pytest.mark.parametrize("port", [0, -1, 65536, 100000])
def test_impossible_port_is_a_user_error(port):
    with pytest.raises(AftersalesError, match="1 到 65535"):
        check_port(port)


@pytest.mark.slow
def test_busy_port_taken_during_the_first_build_is_a_user_error(tmp_path, monkeypatch):
    """The port is checked before the first build, and again where MkDocs binds after it."""
    import generator.commands.preview as preview
    from generator.build import make_bundle
    from generator.output.site.project import write_project
    from generator.output.site.pages import nav, site_pages

    bundle = make_bundle(HUALAN)
    config = write_project(site_pages(bundle), tmp_path, "华澜电器", nav(bundle), serve_profile=HUALAN,
                           serve_hook=ROOT / "generator" / "commands" / "serve_hook.py")
    holder, port = _busy_port()
    monkeypatch.setattr(preview, "check_port", lambda port: None)  # as if taken after the check
    with holder, pytest.raises(AftersalesError) as caught:
        preview.serve(config, port)
    _is_clear_chinese(caught.value, port)


def test_preview_refuses_a_project_without_its_guard(tmp_path):
    from generator.commands.preview import serve
    from generator.output.site.project import write_project

    config = write_project({"index.md": "# x\n"}, tmp_path, "x", [{"x": "index.md"}])  # a build's project
    with pytest.raises(ValueError, match="serve_profile"):
        serve(config, _free_port())


@pytest.mark.slow
def test_cli_serve_on_a_busy_port_exits_2_without_traceback(capsys):
    holder, port = _busy_port()
    with holder:
        code = main(["serve", str(HUALAN), "--port", str(port)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"端口 {port}" in err and "--port" in err and "Traceback" not in err


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8000", "localhost", "LOCALHOST:1", "[::1]", "[::1]:8000",
                                  " localhost:8000 ", "localhost:"])
def test_local_host_names(host):
    assert is_local(host)


@pytest.mark.parametrize("host", [None, "", "evil.example", "evil.example:8000", "127.0.0.1.evil.example",
                                  "localhost.evil.example", "evil.localhost.example", "127.0.0.2", "0.0.0.0",
                                  "[::2]", "[::1].evil", "127.0.0.1:8000,evil.example", "evil@127.0.0.1",
                                  "127.0.0.1:80:80", "localhost:8000/", "[::1]x", "127.0.0.1 evil"])
def test_other_host_names(host):
    assert not is_local(host)


# ---------------------------------------------------------------------------------------------------
# Links on the site


def browser_url(value: str) -> str:
    """An attribute's value (entities already decoded) as a browser's URL parser reads it (WHATWG URL):
    leading and trailing C0 controls and spaces removed, then every tab and newline."""
    return re.sub(r"[\t\n\r]", "", value.strip("".join(map(chr, range(0x21)))))


def dangerous(value: str) -> bool:
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", browser_url(value))
    return scheme is not None and scheme[1].lower() not in ALLOWED_SCHEMES


class _Attributes(HTMLParser):
    """Every attribute of every tag, as Python's HTML parser (independent of the sanitiser) reads them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.found += [(tag, name, value) for name, value in attrs]

    handle_startendtag = handle_starttag


def url_attributes(text: str) -> list[tuple[str, str, str]]:
    parser = _Attributes()
    parser.feed(text)
    parser.close()
    return [(tag, name, value) for tag, name, value in parser.found if name in URL_ATTRIBUTES and value is not None]


def no_dangerous_url(text: str) -> None:
    bad = [found for found in url_attributes(text) if dangerous(found[2])]
    assert bad == [], text


# how a browser may be given one character of a URL in an attribute
def _spellings(char: str) -> list[str]:
    code = ord(char)
    out = [char.lower(), char.upper(), f"&#{code};", f"&#x{code:x};", f"&#X{code:04X};", f"&#0000{code};"]
    named = {":": ["&colon;"], "(": ["&lpar;"], ")": ["&rpar;"], ".": ["&period;"], "+": ["&plus;"], "/": ["&sol;"]}
    return out + named.get(char, [])


INSIDE = ["&Tab;", "&NewLine;", "&#9;", "&#10;", "&#x0d;", "&#13;"]  # removed by the URL parser anywhere
INSIDE_RAW = ["\t", "\n", "\r"]  # the same, written as is: only in a quoted value
LEADING = ["", " ", "&#32;", "\x01", "\x1f", "&NewLine;", "&Tab;", "\x0c"]  # stripped at the start
NAME_SEPARATOR = [" ", "\n", "\t", "/", '  title="t" ', " title='t'", ' title="t"', " title=t "]


def _case(draw, text: str) -> str:
    return "".join(c.upper() if draw(st.booleans()) else c.lower() for c in text)


@st.composite
def bad_schemes(draw) -> str:
    return draw(st.one_of(
        st.sampled_from(["javascript", "vbscript", "data", "file", "jar", "blob", "livescript", "ms-its", "view-source",
                         "filesystem", "feed", "intent", "ftp", "ws", "chrome", "about", "x"]),
        st.from_regex(r"[a-z][a-z0-9+.\-]{0,12}", fullmatch=True).filter(lambda s: s not in ALLOWED_SCHEMES)))


@st.composite
def bad_values(draw, quote: str) -> str:
    """A dangerous URL as it may be written in an attribute value quoted with `quote` ('' for none)."""
    scheme = draw(bad_schemes())
    inside = INSIDE + (INSIDE_RAW if quote else [])
    leading = LEADING if quote else [s for s in LEADING if s not in (" ", "\x0c")]  # those would end the value
    parts = [draw(st.sampled_from(leading))]
    for char in scheme + ":":
        parts.append(draw(st.sampled_from(_spellings(char))))
        if draw(st.integers(0, 4)) == 0:
            parts.append(draw(st.sampled_from(inside)))
    parts.append(draw(st.sampled_from(["alert(1)", "text/html;base64,PHNjcmlwdD4=", "//x/y", "", "%0aalert(1)"])))
    return "".join(parts)


@st.composite
def bad_attributes(draw) -> tuple[str, str]:
    """An attribute with a dangerous URL, and its value as written."""
    quote = draw(st.sampled_from(['"', "'", ""]))
    name = _case(draw, draw(st.sampled_from(URL_ATTRIBUTES)))
    space = st.sampled_from(["", " ", "\n", "\t ", "\x0c"])
    value = draw(bad_values(quote))
    return f"{name}{draw(space)}={draw(space)}{quote}{value}{quote}", value


@given(tag=st.sampled_from(["a", "img", "A", "form", "button", "iframe", "object", "svg:a", "video"]),
       separator=st.sampled_from(NAME_SEPARATOR), attribute=bad_attributes(), end=st.sampled_from([">", " >", "/>"]))
@example(tag="a", separator=" ", attribute=("href='JaVa&#x53;cript:alert(1)'", "JaVa&#x53;cript:alert(1)"), end=">")
@example(tag="a", separator=" ", attribute=('href="  javascript:alert(1)"', "  javascript:alert(1)"), end=">")
@example(tag="a", separator=" ", attribute=('href="java\tscript:alert(1)"', "java\tscript:alert(1)"), end=">")
@example(tag="a", separator=" ", attribute=('href="data:text/html,<script>alert(1)</script>"',
                                            "data:text/html,<script>alert(1)</script>"), end=">")
@example(tag="a", separator=" ", attribute=("href=java&Tab;script&colon;alert(1)", "java&Tab;script&colon;alert(1)"),
         end=">")
@example(tag="img", separator="/", attribute=("SRC=vbscript:x", "vbscript:x"), end=">")
@settings(max_examples=250, deadline=None)
def test_a_dangerous_url_attribute_is_removed(tag, separator, attribute, end):
    attribute, value = attribute
    assert dangerous(html.unescape(value))  # as a browser reads it
    assume(not (end.startswith("/") and attribute[-1:] not in "\"'"))  # "/" would belong to an unquoted value
    before, after = f"<p>见<{tag}{separator}", f"{end}文字</{tag}></p>"
    assert safe_links(before + attribute + after) == before + after


@given(parts=st.lists(st.one_of(bad_attributes().map(lambda a: f"<a {a[0]}>x</a>"), st.sampled_from([
    '<a href="https://example.cn/a?b=c#d">站点</a>', '<a href="mailto:service@example.cn">邮件</a>',
    '<a href="tel:0757-2666 8801">电话</a>', '<a href="#二-管理">本页</a>', '<a href="../manual/02.md">手册</a>',
    '<img src="figures/org.svg" alt="图">', "正文，", "<!-- 注释 -->", '<pre><code>href="x"</code></pre>\n']),
    st.text(alphabet="<>\"'=/ \t\nahrefsc:jv&#;x0", max_size=12)), max_size=12))
@settings(max_examples=200, deadline=None)
def test_no_dangerous_url_survives_in_any_html(parts):
    text = "".join(parts)
    assume("==" not in text)  # Python's parser reads "href==x" as "href=x"; browsers (and the sanitiser) as "=x"
    cleaned = safe_links(text)
    no_dangerous_url(cleaned)
    assert safe_links(cleaned) == cleaned


@pytest.mark.parametrize("text, cleaned", [
    # a value that looks like an attribute hides the real one from a left-to-right scan
    ("""<a title=' href="x' href="javascript:alert(1)">""", """<a title=' href="x' >"""),
    # removing one attribute joins another's value into "java<tab>script:", which a browser reads as javascript:
    ("""<a href="java\tsrc='data:x'script:alert(1)">""", "<a >"),
    ("<a\nhref\n=\njavascript:alert(1)>", "<a\n>"),
    ("<A HREF=JAVASCRIPT:alert(1)>", "<A >"),
    ('<a href="javascript:alert(1)', "<a "),  # unterminated: a browser drops the tag, the value is removed anyway
    ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', "<svg><a ><text>x</text></a></svg>"),
    ("<!-- <a href=javascript:x> --><script>'<a href=vbscript:x>'</script>", "<!-- <a > --><script>'<a >'</script>"),
    ('<iframe src="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', "<iframe ></iframe>"),
    ('<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;x">', "<a >"),
    ('<a href="&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116&#58x">', "<a >"),  # references without ";"
    ('<a href="file:///etc/passwd">', "<a >"),
    ('<a href="\x01\x02 javascript:x">', "<a >"),
])
def test_tricky_html(text, cleaned):
    assert safe_links(text) == cleaned
    no_dangerous_url(cleaned)


SAFE_PATH = st.text(alphabet="abcxyz019-_.~%/?=&;#手册章节", max_size=20)
ALLOWED = st.one_of(
    st.builds(lambda scheme, rest: scheme + ":" + rest,
              st.sampled_from(["http", "https", "mailto", "tel", "HTTPS", "Http", "MAILTO", "tel"]),
              st.sampled_from(["//example.cn/", "//[::1]:8000/", "service@example.cn", "+86-757-26668801", "//x"])
              .flatmap(lambda head: SAFE_PATH.map(lambda tail: head + tail))),
    SAFE_PATH.map(lambda path: "#" + path),
    SAFE_PATH.filter(lambda path: not re.match(r"[a-z0-9.\-]+:", path, re.I)),  # relative: no scheme
    st.sampled_from(["", "/", "./a:b", "../manual/02.html#13-维修服务", "a/b:c", "?q=javascript:x", "#javascript:x",
                     "//evil.example/javascript:x"]),
)


@given(links=st.lists(st.tuples(st.sampled_from(URL_ATTRIBUTES), ALLOWED, st.sampled_from(['"', "'"])), max_size=8))
@settings(max_examples=300, deadline=None)
def test_allowed_links_are_left_exactly_as_they_are(links):
    text = "<div>" + "".join(f'<a {name}={quote}{html.escape(url, quote=True)}{quote} class="x">链接</a>'
                             for name, url, quote in links) + "</div>"
    assert safe_links(text) == text


def test_relative_and_fragment_links_stay():
    text = '<a href="#frag">a</a><a href="page.html">b</a><img src="../figures/a.svg"><a href="//cdn.example/x">c</a>'
    assert safe_links(text) is text


def test_mkdocs_site_runs_the_hook(tmp_path, monkeypatch):
    """Every generated project carries the hook beside its mkdocs.yml and registers it; the page is cleaned,
    and importing the hook leaves no __pycache__ in the output."""
    import yaml

    from generator.output.site.project import build_site, write_project

    page = ("# 链接\n\n[脚本](javascript:alert(1)) [数据](DATA:text/html,x) [网站](https://example.cn/) "
            "[邮件](mailto:a@example.cn) [本页](#链接)\n\n![图](jav&#x61;script:x)\n\n"
            '<a href="java\tscript:alert(1)">原样</a> <img src="vbscript:x" alt="v">\n\n'
            "一行中文\n接着**一行**\n中文 English\nwords\n\n    代码\n    换行\n")
    config = write_project({"index.md": page, "stylesheets/extra.css": ""}, tmp_path / "mkdocs", "x",
                           [{"首页": "index.md"}])
    assert yaml.safe_load(config.read_text(encoding="utf-8"))["hooks"] == ["search_words.py", "wide_lines.py",
                                                                           "html_safety.py"]
    for hook in ("search_words.py", "wide_lines.py", "html_safety.py"):
        assert (config.parent / hook).read_bytes() == (ROOT / "generator" / "text" / hook).read_bytes()
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # as for a user without PYTHONDONTWRITEBYTECODE
    build_site(config, tmp_path / "site")
    assert sys.dont_write_bytecode is False
    assert sorted(p.name for p in config.parent.iterdir()) == ["docs", "html_safety.py", "mkdocs.yml", "search_words.py",
                                                               "wide_lines.py"]
    built = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    no_dangerous_url(built)
    hrefs = [value for tag, name, value in url_attributes(built)]
    assert "https://example.cn/" in hrefs and "mailto:a@example.cn" in hrefs and "#链接" in hrefs
    assert "脚本" in built and "原样" in built  # the text stays, not a link
    # Chinese lines joined without a gap, as in the DOCX; other breaks and code kept
    assert "一行中文接着<strong>一行</strong>中文 English\nwords" in built
    assert "代码\n换行" in built


def test_published_site_runs_the_hook():
    import yaml

    published = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert published["hooks"][-2:] == ["generator/text/wide_lines.py", "generator/text/html_safety.py"]


@pytest.mark.slow
def test_example_site_has_only_allowed_links_and_nothing_to_remove(hualan_built):
    _, out = hualan_built
    pages = sorted((out / "site").rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        text = page.read_text(encoding="utf-8")
        no_dangerous_url(text)
        assert safe_links(text) is text, page


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_preview_stopped_by_a_signal_removes_its_temporary_folders(tmp_path, signum):
    """`timeout 5 aftersales serve P` (SIGTERM) or a closed terminal (SIGHUP) stops the preview as
    Ctrl+C does: quietly, exit 0, its temporary folders removed (found by a stranger: they were left)."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    port = _free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "generator.cli", "serve", str(HUALAN), "--port", str(port)],
                                   cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                   env={**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while process.poll() is None and time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        assert process.poll() is None, log.read_text(encoding="utf-8", errors="replace")
        process.send_signal(signum)
        code = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    output = log.read_text(encoding="utf-8", errors="replace")
    assert code == 0 and "Traceback" not in output and "已中断" not in output, output
    assert [p.name for p in tmp.iterdir() if p.name.startswith(("aftersales-serve-", "mkdocs_"))] == []
