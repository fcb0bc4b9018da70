"""The tool as a stranger gets it: installed into a fresh virtual environment from a fresh copy of
the repository, run from wherever they happen to be.

- The README's first command, run literally (editable install, then a build) from a copy's root.
- A wheel (built from the copy, and one built from its sdist) installed into another fresh venv and
  run from an empty folder: the bundled content and templates must be inside the package.
- Output folders given every way a user types them (relative, absolute, `.`, `~/…`, with spaces).

The copy holds what `git ls-files --cached --others --exclude-standard` lists, taken from the
working tree, so uncommitted work is tested too. The subprocesses get no PYTHONPATH: the installed
tool has to work alone.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from conftest import HUALAN, ROOT

pytestmark = pytest.mark.slow

DOCX = ("01-售后服务手册.docx", "02-认证申请书.docx", "03-申请材料清单.docx", "04-自评打分表.docx", "05-服务承诺书.docx")
INSTALL_TIMEOUT = 900  # seconds; pip normally takes its wheels from the cache


# --- helpers -----------------------------------------------------------------------------------

def fresh_copy(dest: Path) -> Path:
    """The repository as a clone of it (plus uncommitted work) would have it."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    for rel in filter(None, listed.stdout.split(b"\0")):
        source = ROOT / os.fsdecode(rel)
        if not source.is_file():  # deleted in the working tree but not yet in the index
            continue
        target = dest / os.fsdecode(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    return dest


def fresh_venv(path: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    return path


def venv_env(venv: Path, **extra: str) -> dict[str, str]:
    """The environment of a shell with `venv` activated, and nothing that points at this checkout."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "__PYVENV_LAUNCHER__")}
    env["VIRTUAL_ENV"] = str(venv)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, f"{result.args}: exit {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def readme_first_command() -> tuple[str, list[str]]:
    """The first line of the README's first code block, and the paths named in the paragraph after it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"^```[^\n]*\n(.*?)^```[ \t]*\n", readme, re.S | re.M)
    assert block, "README has no fenced code block"
    line = block.group(1).splitlines()[0].strip()
    paragraph = readme[block.end():].strip().split("\n\n")[0]
    return line, re.findall(r"`([^`\n]+)`", paragraph)


def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def bundled_files(repo: Path) -> set[str]:
    """Where each data file of the checkout must be inside an installed package."""
    names = set()
    for folder in ("content", "templates", "company_profiles"):
        names |= {f"generator/{p.relative_to(repo).as_posix()}" for p in (repo / folder).rglob("*") if p.is_file()}
    return names


def entries(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def assert_bundle(out: Path, site: bool) -> None:
    """The DOCX files (and site) are at OUT/…, and OUT holds nothing but what the manifest lists."""
    assert out.is_dir(), out
    for name in DOCX:
        assert (out / name).is_file(), out / name
    assert sorted(p.name for p in out.glob("*.docx")) == list(DOCX)
    assert (out / "site" / "index.html").is_file() is site
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    tops = {name.split("/")[0] for name in manifest["files"]} | {"manifest.json"}
    assert entries(out) == tops  # no staging folder left behind, nothing else


def printed_site(stdout: str, cwd: Path) -> Path:
    """The site path the build printed, resolved as the user's shell would (against the cwd)."""
    found = re.findall(r"网站（用浏览器打开）：(.+index\.html)$", stdout, re.M)
    assert len(found) == 1, stdout
    return cwd / found[0]


# --- a. the README's first command, literally ------------------------------------------------------

@pytest.fixture(scope="module")
def readme_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("readme")
    repo = fresh_copy(base / "repo")
    venv = fresh_venv(base / "venv")
    line, named = readme_first_command()
    result = run(["bash", "-c", line], cwd=repo, env=venv_env(venv), timeout=INSTALL_TIMEOUT)
    return repo, line, named, result


def test_readme_first_command_works_in_a_fresh_venv(readme_run):
    repo, line, named, result = readme_run
    assert line.startswith("pip install -e . && aftersales build "), line
    ok(result)
    docx = [p for p in named if p.endswith(".docx")]
    assert docx and any(p.endswith("site/index.html") for p in named), named
    for rel in named:
        assert not Path(rel).is_absolute(), rel
        path = repo / rel
        assert (path.is_dir() if rel.endswith("/") else path.is_file()), f"README names {rel}, the build did not make it"
    # the README names every DOCX file the build makes, no fewer
    for folder in {(repo / p).parent for p in docx}:
        made = {p.relative_to(repo).as_posix() for p in folder.glob("*.docx")}
        assert made == {p for p in docx if (repo / p).parent == folder}


def test_readme_build_prints_where_the_site_is(readme_run):
    repo, _, named, result = readme_run
    ok(result)
    site = printed_site(result.stdout, repo)
    assert site.is_file()  # relative to the folder the command ran in (or absolute)
    assert site.relative_to(repo).as_posix() in named, f"the build says {site}, the README says {named}"


def test_editable_install_reads_the_checkout(readme_run, tmp_path):
    """`pip install -e .` reads the repository's content/: an edit there shows without reinstalling."""
    repo, _, _, result = readme_run
    ok(result)
    env = venv_env(repo.parent / "venv")
    code = "import generator.paths as p; print(p.CONTENT.resolve(), p.TEMPLATES.resolve(), p.EXAMPLES.resolve())"
    shown = ok(run(["python", "-c", code], cwd=tmp_path, env=env)).stdout.split()
    assert shown == [str((repo / name).resolve()) for name in ("content", "templates", "company_profiles")]
    marker = "本行由安装测试追加-7f3a"
    with (repo / "content" / "documents" / "promise.md.j2").open("a", encoding="utf-8") as template:
        template.write(f"\n\n{marker}\n")
    ok(run(["aftersales", "build", "company_profiles/hualan-appliances.yaml", "-o", "edited", "--no-site"],
           cwd=repo, env=env))
    with zipfile.ZipFile(repo / "edited" / "05-服务承诺书.docx") as docx:
        assert marker in docx.read("word/document.xml").decode("utf-8")


# --- b. the wheel, from anywhere ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A wheel built from a fresh copy, installed into a fresh venv (not editable)."""
    base = tmp_path_factory.mktemp("wheel")
    repo = fresh_copy(base / "repo")
    venv = fresh_venv(base / "venv")
    env = venv_env(venv)
    dist = base / "dist"
    ok(run(["pip", "wheel", ".", "--no-deps", "-w", str(dist)], cwd=repo, env=env, timeout=INSTALL_TIMEOUT))
    wheel, = dist.glob("aftersales-*.whl")
    ok(run(["pip", "install", str(wheel)], cwd=base, env=env, timeout=INSTALL_TIMEOUT))
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    return repo, venv, env, wheel, elsewhere


def test_wheel_holds_the_bundled_data(installed):
    repo, _, _, wheel, _ = installed
    names = wheel_names(wheel)
    assert "generator/content/standard/gbt27922-2011.yaml" in names
    assert "generator/templates/docx/reference.docx" in names
    assert bundled_files(repo) <= names, sorted(bundled_files(repo) - names)


def test_installed_tool_reads_its_own_data(installed):
    _, venv, env, _, elsewhere = installed
    code = ("import generator.paths as p; "
            "print(*(x.resolve() for x in (p.CONTENT, p.TEMPLATES, p.REFERENCE_DOCX, p.EXAMPLES)), sep='\\n')")
    paths = ok(run(["python", "-c", code], cwd=elsewhere, env=env)).stdout.split()
    site_packages = next((venv / "lib").glob("python3*/site-packages")).resolve()
    for path in map(Path, paths):
        assert path.exists() and path.is_relative_to(site_packages), path


def test_installed_tool_version(installed):
    _, venv, env, _, elsewhere = installed
    assert Path(shutil.which("aftersales", path=env["PATH"])).parent == venv / "bin"
    import generator

    result = ok(run(["aftersales", "--version"], cwd=elsewhere, env=env))
    assert result.stdout.strip() == f"aftersales {generator.__version__}" == "aftersales 0.1.0"


def test_installed_tool_builds_from_an_unrelated_folder(installed):
    repo, _, env, _, elsewhere = installed
    work = elsewhere / "build-here"
    work.mkdir()
    profile = repo / "company_profiles" / "hualan-appliances.yaml"
    result = ok(run(["aftersales", "build", str(profile)], cwd=work, env=env))
    assert entries(work) == {"build"}
    assert entries(work / "build") == {"hualan-appliances"}
    assert_bundle(work / "build" / "hualan-appliances", site=True)
    assert printed_site(result.stdout, work) == work / "build" / "hualan-appliances" / "site" / "index.html"


def test_installed_tool_init_then_check(installed):
    _, _, env, _, elsewhere = installed
    work = elsewhere / "init-here"
    work.mkdir()
    ok(run(["aftersales", "init", "company.yaml"], cwd=work, env=env))
    assert entries(work) == {"company.yaml"}
    text = (work / "company.yaml").read_text(encoding="utf-8")
    assert text.startswith("# 企业档案") and "aftersales check" in text
    # The starter is the example company with every key commented: valid as it stands (the README:
    # “写出带逐项注释的企业档案模板”), so check exits 0 and prints its score.
    result = ok(run(["aftersales", "check", "company.yaml"], cwd=work, env=env))
    assert "✓ company.yaml：有效" in result.stdout


def test_sdist_holds_the_data_and_its_wheel_too(installed, tmp_path):
    """`python -m build` makes the sdist, then the wheel from the unpacked sdist (as packagers do)."""
    repo, _, env, _, _ = installed
    ok(run(["pip", "install", "build"], cwd=tmp_path, env=env, timeout=INSTALL_TIMEOUT))
    dist = tmp_path / "dist"
    ok(run(["python", "-m", "build", "--outdir", str(dist), str(repo)], cwd=tmp_path, env=env, timeout=INSTALL_TIMEOUT))
    sdist, = dist.glob("aftersales-*.tar.gz")
    wheel, = dist.glob("aftersales-*.whl")
    with tarfile.open(sdist) as archive:
        in_sdist = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"content/standard/gbt27922-2011.yaml", "templates/docx/reference.docx",
            "company_profiles/hualan-appliances.yaml"} <= in_sdist
    names = wheel_names(wheel)
    assert "generator/content/standard/gbt27922-2011.yaml" in names
    assert "generator/templates/docx/reference.docx" in names
    assert bundled_files(repo) <= names, sorted(bundled_files(repo) - names)


# --- c. output folders, typed every way --------------------------------------------------------------

@pytest.fixture
def cwd(tmp_path, monkeypatch):
    """An empty working folder, and a HOME of its own (so `~` expands into the test's folder)."""
    here = tmp_path / "cwd"
    here.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(here)
    return here


def build(capsys, *args: str) -> str:
    from generator.cli import main

    assert main(["build", str(HUALAN), *args]) == 0, capsys.readouterr().err
    return capsys.readouterr().out


@pytest.mark.parametrize("given, site", [("out/x", True), ("my out/公司 A", True)])
def test_output_relative(cwd, capsys, given, site):
    out = build(capsys, "-o", given)
    assert entries(cwd) == {given.split("/")[0]}  # nothing else in the working folder
    assert_bundle(cwd / given, site=site)
    assert printed_site(out, cwd) == cwd / given / "site" / "index.html"
    assert f"site{os.sep}index.html" in out and given in out


def test_output_absolute(cwd, capsys, tmp_path):
    target = tmp_path / "elsewhere" / "abs out"
    build(capsys, "-o", str(target), "--no-site")
    assert entries(cwd) == set()
    assert entries(tmp_path) == {"cwd", "home", "elsewhere"}
    assert entries(tmp_path / "home") == set()
    assert_bundle(target, site=False)


def test_output_dot_is_the_working_folder(cwd, capsys):
    out = build(capsys, "-o", ".")
    assert_bundle(cwd, site=True)
    assert printed_site(out, cwd) == cwd / "site" / "index.html"


def test_output_tilde_expands_to_home(cwd, capsys, tmp_path):
    build(capsys, "-o", "~/x", "--no-site")
    assert entries(cwd) == set()  # no folder named "~"
    assert entries(tmp_path / "home") == {"x"}
    assert_bundle(tmp_path / "home" / "x", site=False)


def test_output_default_is_build_slug(cwd, capsys):
    out = build(capsys, "--no-site")
    assert entries(cwd) == {"build"}
    assert_bundle(cwd / "build" / "hualan-appliances", site=False)
    assert f"build{os.sep}hualan-appliances{os.sep}" in out


def test_every_package_of_the_code_is_installed():
    """pyproject lists the packages by name (the data folders are mapped into the package): a new folder of
    code missing from the list installs a wheel that cannot start. Every folder with an __init__.py is listed."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    code = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "generator").rglob("__init__.py")}
    assert code - listed == set(), f"packages missing from pyproject.toml: {sorted(code - listed)}"
