"""The company's MkDocs (mkdocs-material) site: pages from the same Markdown as the DOCX files.

`site_pages.site_pages()` makes every page and download as {path: text or bytes}; `write_project()`
writes them with a generated mkdocs.yml, and `build_site()` runs MkDocs in strict mode. The
top-level mkdocs.yml reuses `site_pages()` through a hook, so there is one way to make a company's pages.
Every site, generated or published, runs the `wide_lines` hook (Chinese lines joined without a gap, as
in the DOCX) and then the `html_safety` hook: no page links to anything but http, https, mailto, tel or
a relative URL.
"""
from __future__ import annotations

import logging
from pathlib import Path

import yaml as pyyaml  # PyYAML ships with MkDocs; used only to dump the config we generate


SEARCH_SEPARATOR = "[\\s\\u200b\\u3000\\-、。，．？！；：（）“”]+"
# copied beside each mkdocs.yml (a self-contained project); the safety hook last, so it has the final word
_TEXT = Path(__file__).resolve().parent.parent.parent / "text"  # standard-library rules shared with the DOCX
HOOKS = (_TEXT / "wide_lines.py", _TEXT / "html_safety.py")


def site_name(name: str) -> str:
    """A site title that no theme template can read as markup (it is not escaped everywhere)."""
    table = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇", "{": "｛", "}": "｝"})
    return name.translate(table)


def mkdocs_config(name: str, nav: list, docs_dir: str = "docs", site_dir: str = "site") -> dict:
    return {
        "site_name": site_name(name),
        "docs_dir": docs_dir,
        "site_dir": site_dir,
        "use_directory_urls": False,
        "strict": True,
        "theme": {"name": "material", "language": "zh", "font": False,  # no web fonts: works offline and in China
                  "features": ["navigation.tabs", "navigation.sections", "navigation.top", "navigation.indexes",
                               "search.highlight", "search.suggest", "toc.follow"]},
        # Chinese is segmented at build time by jieba, joined with U+200B; the separator splits on it
        # (and on CJK punctuation). lunr's own "zh" pipeline needs a Node segmenter, so it is not used.
        "plugins": [{"search": {"lang": "en", "separator": SEARCH_SEPARATOR}}],
        "markdown_extensions": ["tables", "attr_list", "md_in_html", {"toc": {"permalink": True}}, "fenced_code",
                                "sane_lists"],
        "extra_css": ["stylesheets/extra.css"],
        "hooks": [hook.name for hook in HOOKS],
        "nav": nav,
    }


def write_project(pages: dict[str, str | bytes], folder: Path, name: str, nav: list,
                  serve_profile: Path | None = None) -> Path:
    """Write an MkDocs project; with `serve_profile`, pages are regenerated whenever it changes."""
    write_pages(pages, folder / "docs")
    for hook in HOOKS:
        (folder / hook.name).write_bytes(hook.read_bytes())
    config = folder / "mkdocs.yml"
    settings = mkdocs_config(name, nav)
    if serve_profile is not None:
        settings.update({"strict": False, "watch": [str(serve_profile)],
                         "hooks": [*settings["hooks"], str(Path(__file__).with_name("serve_hook.py"))],
                         "extra": {"aftersales_profile": str(serve_profile)}})
    config.write_text(pyyaml.safe_dump(settings, allow_unicode=True, sort_keys=False),
                      encoding="utf-8")
    return config


def quiet_jieba() -> None:
    """mkdocs-material segments Chinese with jieba, which announces every dictionary load."""
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def write_pages(pages: dict[str, str | bytes], docs: Path) -> None:
    for rel, content in pages.items():
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")


def build_site(config_file: Path, site_dir: Path, date=None) -> None:
    """Run MkDocs (strict) on a generated project; its warnings become a build error.

    With `date`, MkDocs stamps that date (SOURCE_DATE_EPOCH) instead of today's, so the same input
    gives the same site."""
    import calendar
    import os
    import sys
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    from generator.errors import AftersalesError, Problem

    quiet_jieba()
    logger = logging.getLogger("mkdocs")
    collect = _Collect()
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.WARNING)
    logger.addHandler(collect)
    logger.propagate = False
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    bytecode = sys.dont_write_bytecode
    sys.dont_write_bytecode = True  # importing the project's hook must not add __pycache__ to the output
    if date is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(date.timetuple()))
    try:
        config = load_config(str(config_file), site_dir=str(site_dir), strict=True)
        build(config)
    except (Abort, ConfigurationError) as exc:
        raise AftersalesError(f"站点构建失败（mkdocs --strict）：{exc}",
                              [Problem(m, str(config_file)) for m in collect.messages]) from None
    finally:
        sys.dont_write_bytecode = bytecode
        if date is not None:
            if saved is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = saved
        logger.removeHandler(collect)
        logger.setLevel(level)
        logger.propagate = propagate
