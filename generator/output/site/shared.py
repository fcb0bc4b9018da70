"""Work that one MkDocs build can hand to the next in the same process: a batch's sites, a preview's rebuilds.

Every build of a company's site compiles mkdocs-material's templates again, converts every page's
Markdown to HTML again and segments every page's text for search again (jieba), though most of it is
the same as last time: the same theme, the guide's pages alike for many companies, a preview's pages
unchanged but the one edited. `SharedWork`, a plugin `project.build_site` and the preview add to each
build, keeps those results for the process:

- the theme's templates compiled once (Jinja's bytecode cache, in memory), its static files listed once;
- a page's HTML, table of contents and anchors, kept by everything its conversion reads: the page's
  path, its Markdown as the other plugins left it, the site's file list and the Markdown settings;
- a page's search entries, kept by what the search index reads: its URL, title, front matter, HTML
  and table of contents.

A result is reused only for equal inputs, so each site is byte for byte the site a fresh process
builds (a test builds sites in both ways and compares them). A conversion that logged a warning is
not kept: strict mode must see the warning again next time.
"""
from __future__ import annotations

import logging
from collections import OrderedDict

import jinja2
from backrefs import bre  # mkdocs-material's dependency, for its expression of Han characters
from mkdocs.plugins import BasePlugin, event_priority

_MOST = 4000  # pages kept (each some tens of KB of HTML): a batch's worker keeps its last sites' pages


class _Kept(OrderedDict):
    """Least recently used first; at most `most` entries."""

    def __init__(self, most: int = _MOST):
        super().__init__()
        self.most = most

    def get(self, key, default=None):
        value = super().get(key, default)
        if value is not default:
            self.move_to_end(key)
        return value

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.most:
            self.popitem(last=False)


class _CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's bytecode cache kept in memory; a template whose source changed is compiled again."""

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_TEMPLATES = _CompiledTemplates()
_THEME_FILES: dict[tuple, list[str]] = {}
_THEME_FILTER = "Files.add_files_from_theme.<locals>.filter"  # MkDocs' filter: by the theme's static templates
_PAGES = _Kept()
_SEARCH = _Kept()
_WORDS = _Kept(most=200_000)
_HAN = bre.compile(r"(\p{script: Han}+)", bre.UNICODE)  # the search plugin's runs of Han characters


class _Warnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class SharedWork(BasePlugin):
    """Add one to a build (`config.plugins["aftersales/shared"] = SharedWork()`) after its config is loaded."""

    def __init__(self):
        super().__init__()
        self._site = None

    def on_files(self, files, config):
        # everything a page's conversion reads besides its own Markdown: the links it may resolve, the settings
        self._site = (tuple(sorted(f.src_uri for f in files)), repr(config["markdown_extensions"]),
                      repr(config["mdx_configs"]), repr(config["validation"]), config["use_directory_urls"])
        return files

    @event_priority(-100)  # after every other plugin has changed the Markdown
    def on_page_markdown(self, markdown, page, config, files):
        key = (page.file.src_uri, markdown, self._site)
        kept = _PAGES.get(key)
        page.render = _restore(page, files, kept) if kept else _convert(page, key)
        return markdown

    @event_priority(100)  # before the search plugin reads the page
    def on_page_context(self, context, page, config, nav):
        search = _search_index(config)
        if search is not None and "add_entry_from_context" not in vars(search):
            search.add_entry_from_context = _indexed(search, type(search).add_entry_from_context)
            if hasattr(search, "_segment_chinese"):
                search._segment_chinese = _segmented(search._segment_chinese)
        return context

    def on_config(self, config):
        theme = config.theme
        if "get_env" not in vars(theme):
            theme.get_env = _shared_env(theme, type(theme).get_env)
        return config


def _shared_env(theme, get_env):
    """The theme's Jinja environment with the compiled templates kept, and its static files listed once
    (MkDocs lists them by walking the theme's folders, thousands of icons included, and filtering the
    names by the theme's static templates)."""
    key = (tuple(theme.dirs), tuple(theme.static_templates))

    def shared_env():
        env = get_env(theme)
        env.bytecode_cache = _TEMPLATES
        walk = env.list_templates

        def list_templates(extensions=None, filter_func=None):
            if extensions is not None or filter_func is None or filter_func.__qualname__ != _THEME_FILTER:
                return walk(extensions, filter_func)
            if key not in _THEME_FILES:
                _THEME_FILES[key] = walk(None, filter_func)
            return list(_THEME_FILES[key])
        env.list_templates = list_templates
        return env
    return shared_env


def _search_index(config):
    for name in ("material/search", "search"):
        plugin = config.plugins.get(name)
        if plugin is not None:
            return getattr(plugin, "search_index", None)
    return None


def _convert(page, key):
    def render(config, files):
        warnings = _Warnings()
        log = logging.getLogger("mkdocs")
        log.addHandler(warnings)
        try:
            type(page).render(page, config, files)
        finally:
            log.removeHandler(warnings)
        if not warnings.count:
            links = {target.src_uri: dict(anchors) for target, anchors in (page.links_to_anchors or {}).items()}
            _PAGES[key] = (page.content, page.toc, page._title_from_render, frozenset(page.present_anchor_ids),
                           links)
    return render


def _restore(page, files, kept):
    def render(config, _files):
        content, toc, title, anchors, links = kept
        page.content, page.toc, page._title_from_render = content, toc, title
        page.present_anchor_ids = set(anchors)
        page.links_to_anchors = {files.get_file_from_path(src): dict(to) for src, to in links.items()}
    return render


def _segmented(segment):
    """mkdocs-material's segmentation (jieba, words joined by U+200B) of each run of Han characters
    kept by the run: the same phrases come back in page after page and company after company."""
    def segment_chinese(data):
        return _HAN.sub(_segment_run, data).strip("\u200b")

    def _segment_run(match):
        run = match.group(0)
        words = _WORDS.get(run)
        if words is None:
            words = _WORDS[run] = "\u200b" + segment(run).strip("\u200b") + "\u200b"
        return words
    return segment_chinese


def _indexed(search, add):
    def add_entry_from_context(page):
        key = (page.url, page.title, repr(page.meta), page.content, str(page.toc))
        kept = _SEARCH.get(key)
        if kept is None:
            start = len(search.entries)
            add(search, page)
            _SEARCH[key] = tuple(dict(entry) for entry in search.entries[start:])
        else:
            search.entries.extend(dict(entry) for entry in kept)
    return add_entry_from_context


def quiet_jieba() -> None:
    """mkdocs-material segments Chinese with jieba, which announces every dictionary load."""
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)


def warm() -> None:
    """Load what every site build needs before a batch's workers start: forked from this process,
    they share it rather than each loading jieba's dictionary (most of a first build's second),
    and the batch's portal, built here afterwards, finds it loaded."""
    import mkdocs.commands.build  # noqa: F401 - imported to be inherited

    quiet_jieba()
    try:
        import jieba
    except ImportError:
        return
    jieba.initialize()
