"""Render the documents for one company: Jinja2 Markdown templates under content/documents/.

The environment is sandboxed with StrictUndefined (a missing value is an error, never an empty
string) and every expression passes through `literal()`, so profile text is never interpreted as
Markdown, HTML or template syntax.
"""
from __future__ import annotations

import difflib
import functools
import html
import re
from dataclasses import dataclass
from pathlib import Path as FilePath

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from pydantic import BaseModel, ConfigDict, TypeAdapter

from . import clausetags
from .assess import Assessment, covered_regions, excluded_reason, required_managers
from .errors import AftersalesError, CatalogueError, Problem
from .industry import Pack, pack_for
from .markdown_text import Markdown, date, hours, literal, number
from .materials import counts
from .paths import DOCUMENTS
from .plan import Action, Path
from .profile import Profile
from .standard import Catalogue
from .yamlload import load_yaml_file


class DocumentSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    key: str
    title: str
    template: str
    filename: str | None  # None: a site page only
    toc: bool
    chapter_breaks: bool


@dataclass(frozen=True)
class Document:
    spec: DocumentSpec
    markdown: str
    sections: tuple[clausetags.Section, ...]

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def title(self) -> str:
        return self.spec.title


@functools.lru_cache(maxsize=4)
def document_specs(folder: FilePath = DOCUMENTS) -> tuple[DocumentSpec, ...]:
    loaded = load_yaml_file(folder / "documents.yaml", error=CatalogueError)
    return tuple(TypeAdapter(list[DocumentSpec]).validate_python(loaded.data["documents"]))


@functools.lru_cache(maxsize=8)
def environment(folder: FilePath = DOCUMENTS, override: FilePath | None = None) -> jinja2.Environment:
    """The Jinja environment; templates in `override` (a consultant's house style) win over ours."""
    loaders = [jinja2.FileSystemLoader(folder)]
    if override is not None:
        loaders.insert(0, jinja2.FileSystemLoader(override))
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        finalize=literal,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = number
    env.filters["hours"] = hours
    env.filters["or_blank"] = lambda value: value if value else Markdown(BLANK)
    env.filters["date"] = date
    env.filters["clause_ids"] = _clause_ids
    # `md` marks the output of our own template macros as Markdown (user values inside were escaped
    # when the macro rendered them); it is never applied to a profile value directly.
    env.filters["md"] = Markdown
    env.filters["cells"] = lambda items: Markdown(" | ".join(literal(i) for i in items))
    env.filters["bare"] = lambda text: str(text).rstrip("。；;.．! ！ ")  # the template adds the full stop
    env.filters["cn_list"] = lambda items, sep="、": Markdown(sep.join(literal(i) for i in items))
    return env


BLANK = "＿＿＿＿＿＿（待填）"  # a field of a form the profile does not hold: filled in by hand


def blanks(document: "Document") -> list[str]:
    """Labels of the table rows a document leaves to be filled in by hand."""
    return [line.split("|")[1].strip() for line in document.markdown.splitlines()
            if BLANK in line and line.startswith("|")]


def _clause_ids(value: str | list[str]) -> Markdown:
    """Clause ids for a `{clauses=…}` tag: only digits, dots and commas, inserted unescaped."""
    text = value if isinstance(value, str) else ",".join(value)
    if not re.fullmatch(r"\d+(\.\d+)*(,\d+(\.\d+)*)*", text):
        raise ValueError(f"not a list of clause ids: {text!r}")
    return Markdown(text)


@dataclass(frozen=True)
class Facts:
    """Values derived from the profile that several documents state the same way."""

    required_managers: int
    self_run: list
    entrusted: list
    covered_regions: list[str]
    uncovered_regions: list[str]
    excluded: dict[str, str]  # clause id -> reason
    sanbao_products: list
    roles: dict[str, str]  # quality / hr / logistics / sales / rd -> the department that does it
    forms: list  # record forms whose clause applies
    pack: Pack  # industry pack: laws and wording


_ROLE_WORDS = {"quality": ("质量", "品质", "质检"), "hr": ("人力", "人事", "综合", "行政"),
               "logistics": ("物流", "仓储", "储运", "配送"), "sales": ("营销", "销售", "市场", "商务"),
               "rd": ("研发", "技术", "开发")}


def _roles(profile: Profile) -> dict[str, str]:
    """Which department does what, from the names the company uses; its after-sales department otherwise."""
    fallback = profile.organisation.aftersales_department.name
    out = {}
    for role, words in _ROLE_WORDS.items():
        found = [d.name for d in profile.organisation.departments if any(w in d.name for w in words)]
        out[role] = found[0] if found else fallback
    return out


def facts(profile: Profile, catalogue: Catalogue) -> Facts:
    covered, uncovered = covered_regions(profile)
    excluded = {}
    for clause in catalogue.leaves():
        reason = excluded_reason(profile, clause)
        if reason is not None:
            excluded[clause.id] = reason
    return Facts(
        required_managers=required_managers(profile, catalogue),
        self_run=profile.resources.self_run,
        entrusted=profile.resources.entrusted,
        covered_regions=covered,
        uncovered_regions=uncovered,
        excluded=excluded,
        sanbao_products=[p for p in profile.company.products if p.sanbao],
        roles=_roles(profile),
        forms=[form for form in catalogue.forms if form.clause not in excluded],
        pack=pack_for(profile),
    )


def render_documents(profile: Profile, catalogue: Catalogue, assessment: Assessment,
                     todo: list[Action], paths: list[Path], materials: list, content: FilePath | None = None,
                     certification=None) -> list[Document]:
    """Every document's Markdown for this company; `content` is an optional template override folder."""
    env = environment(DOCUMENTS, content.resolve() if content else None)
    context = {"p": profile, "cat": catalogue, "a": assessment, "f": facts(profile, catalogue),
               "m": materials, "mc": counts(materials), "todo": todo, "paths": paths, "plan": certification}
    out = []
    for spec in document_specs():
        markdown = _render(env, spec, context, content)
        if spec.key == "manual":
            markdown = customise(markdown, profile.customisation)
        out.append(Document(spec, markdown, clausetags.sections(markdown)))
    return out


def _render(env, spec: DocumentSpec, context: dict, content: FilePath | None) -> str:
    try:
        return env.get_template(spec.template).render(context, doc=spec)
    except (jinja2.TemplateSyntaxError, jinja2.UndefinedError, SecurityError) as exc:
        if content is None:
            raise  # our own templates: a bug, keep the traceback
        where = getattr(exc, "filename", None) or spec.template
        raise AftersalesError("自定义模板有误", [Problem(
            str(exc.message if hasattr(exc, "message") else exc), str(where), getattr(exc, "lineno", None),
            hint="自定义模板只能使用文档上下文中的数据（p、cat、a、f …），不能访问 Python 内部属性")]) from None


def customise(markdown: str, customisation: dict) -> str:
    """Apply the profile's own text to manual sections: `append` after, or `replace`, a section's body.

    A section is named by its number ("13.2"), its title ("备件与收费") or both ("13.2 备件与收费").
    The text is Markdown: emphasis, lists and tables work; HTML and clause tags are shown literally,
    and headings become bold lines so the manual's structure stays as generated.
    """
    if not customisation:
        return markdown
    lines = markdown.splitlines()
    sections = clausetags.sections(markdown)
    titles = [s.text for s in sections]
    names = {}
    for i, title in enumerate(titles):
        number, _, rest = title.partition(" ")
        for name in {title, number, rest} - {""}:
            names.setdefault(name, i)
    unknown = [key for key in customisation if key not in names]
    if unknown:
        problems = []
        for key in unknown:
            close = difflib.get_close_matches(key, titles, n=3, cutoff=0.3)
            hint = "是不是 " + "、".join(f"“{c}”" for c in close) + "？" if close else "章节号或标题见手册目录"
            problems.append(Problem(f"手册中没有章节 “{key}”", key_path=f"customisation.{key}", hint=hint,
                                    path=("customisation", key)))
        raise AftersalesError("企业档案的 customisation 指向了手册中不存在的章节", problems)
    # apply from the last section up, so earlier line numbers stay valid
    for key, change in sorted(customisation.items(), key=lambda kv: -names[kv[0]]):
        index = names[key]
        start = sections[index].line + 1
        end = next((s.line for s in sections[index + 1:] if s.level <= sections[index].level), len(lines))
        text = ["", *_user_markdown(change.text).splitlines(), ""]
        if change.mode == "replace":
            lines[start:end] = text
        else:
            lines[end:end] = text
    return "\n".join(lines) + "\n"


def _user_markdown(text: str) -> str:
    """A user's Markdown, made safe: no raw HTML, no clause tags, no headings."""
    text = html.escape(text, quote=False).replace("{", "\\{").replace("}", "\\}")
    return re.sub(r"^\s{0,3}#+\s*(.+?)\s*#*\s*$", r"**\1**", text, flags=re.M)
