"""Render the documents for one company: Jinja2 Markdown templates under content/documents/.

The environment is sandboxed with StrictUndefined (a missing value is an error, never an empty
string) and every expression passes through `literal()`, so profile text is never interpreted as
Markdown, HTML or template syntax. Each document's Markdown is parsed once, after the profile's
customisation: a `Document` carries the tokens, which its sections, the trace, the DOCX and the site read.

What a template sees (`template_context`): `profile`, `catalogue`, `assessment`, `facts`, `materials`,
`material_counts`, `actions`, `routes`, `certification`; record forms and procedures by id from the
data (`form("R06")`, `cite_form("R06")`, `procedures`, `department(role)`); `download(file, where)`,
a generated file's name, which the site's rendering of the document links to its download. A
consultant's `--content` templates may also use the short names of earlier versions (`SHORT_NAMES`:
`p`, `cat`, `a`, `f`, `m`, `mc`, `todo`, `paths`, `plan`). A document that names generated files is
rendered for the site as well (`Document.site`), the names linked there.
"""
from __future__ import annotations

import contextvars
import functools
import os
import re
import traceback
from dataclasses import dataclass, replace
from pathlib import Path as FilePath
from typing import Callable

import jinja2
from markdown_it.token import Token
from pydantic import BaseModel, ConfigDict

from generator.text import clausetags, headings
from generator.assess.certification import Plan as CertificationPlan
from generator.assess.facts import Facts
from generator.assess.score import Assessment
from generator.standard.bundled import load_data
from generator.standard.procedures import load_procedures
from generator.errors import AftersalesError, CoverageError, Problem, display
from generator.text.literal import Markdown, date, hours, literal, number, unchanged
from generator.assess.materials import MaterialLine, counts
from generator.paths import DOCUMENTS, STANDARD
from generator.assess.gaps import Action, Route
from generator.profile.model import Profile
from generator.render.customise import customise
from generator.render.sandbox import Sandbox
from generator.render.template_errors import explain, template_cycle_entry
from generator.render.template_limits import CONTROL, CONTROL_HINT
from generator.standard.catalogue import Catalogue

# The names templates of earlier versions used, kept for a consultant's `--content` templates.
SHORT_NAMES = {"p": "profile", "cat": "catalogue", "a": "assessment", "f": "facts", "m": "materials",
               "mc": "material_counts", "todo": "actions", "paths": "routes", "plan": "certification"}


class DocumentSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    key: str
    title: str
    template: str
    filename: str | None  # None: a site page only
    toc: bool
    chapter_breaks: bool
    numbered: bool = False  # its headings type their numbers (13.2), which Word's numbering shows in the DOCX
    controlled: bool  # a document of the service system: its cover carries the document number and version
    dated: bool  # its cover carries the issue and effective dates


@dataclass(frozen=True)
class Document:
    spec: DocumentSpec
    markdown: str
    sections: tuple[clausetags.Section, ...]  # its headings (clausetags.sections: found without parsing the rest)
    blanks: tuple[str, ...] = ()  # fields of a form the profile does not hold, to fill in by hand
    site: Document | None = None  # as rendered for the site, when it names generated files (`download`)

    @classmethod
    def parse(cls, spec: DocumentSpec, markdown: str, blanks: tuple[str, ...] = (),
              site_markdown: str | None = None) -> Document:
        """The document with its headings read; with its site's rendering, when there is one."""
        site = cls.parse(spec, site_markdown, blanks) if site_markdown is not None else None
        return cls(spec, markdown, clausetags.sections(markdown), blanks, site)

    @functools.cached_property
    def tokens(self) -> tuple[Token, ...]:
        """`markdown` parsed (clausetags.document_parser()), once, when the DOCX writer or the site first asks:
        `check`, and the renderings a document goes through before its last, never parse it."""
        return tuple(clausetags.document_parser().parse(self.markdown))

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def title(self) -> str:
        return self.spec.title


@functools.lru_cache(maxsize=4)
def document_specs(folder: FilePath = DOCUMENTS) -> tuple[DocumentSpec, ...]:
    return tuple(load_data(folder / "documents.yaml", list[DocumentSpec], "documents", what="文档清单数据文件"))


BLANK = "＿＿＿＿＿＿（待填）"  # a field of a form the profile does not hold: filled in by hand
_BLANKS: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("blanks", default=None)


def _or_blank(value: object, field: str | None = None) -> object:
    """`{{ value | or_blank("英文名称") }}`: the value, or the blank to fill in by hand, which the
    document then lists (`Document.blanks`) under `field` (a blank without a field name is not listed)."""
    if value:
        return value
    noted = _BLANKS.get()
    if field and noted is not None:
        noted.append(field)
    return Markdown(BLANK)


@functools.lru_cache(maxsize=8)
def environment(folder: FilePath = DOCUMENTS, override: FilePath | None = None) -> jinja2.Environment:
    """The Jinja environment; templates in `override` (a consultant's house style) win over ours.
    Sandboxed (no Python internals, no changes to data) and bounded (no value or output larger than
    a few MB, no huge numbers): see generator/render/sandbox.py."""
    loaders = [jinja2.FileSystemLoader(folder)]
    if override is not None:
        loaders.insert(0, jinja2.FileSystemLoader(override))
    env = Sandbox(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        finalize=literal,
        unchanged=unchanged,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = number
    env.filters["hours"] = hours
    env.filters["or_blank"] = _or_blank
    env.filters["date"] = date
    env.filters["clause_ids"] = _clause_ids
    # `md` marks the output of our own template macros as Markdown (user values inside were escaped
    # when the macro rendered them); it is never applied to a profile value directly.
    env.filters["md"] = Markdown
    env.filters["cells"] = lambda items: Markdown(" | ".join(literal(i) for i in items))
    env.filters["bare"] = lambda text: str(text).rstrip("。；;.．! ！ ")  # the template adds the full stop
    env.filters["cn_list"] = lambda items, sep="、": Markdown(sep.join(literal(i) for i in items))
    return env.seal()  # every filter guarded: set them all above this line


def _naming(named: list[str]) -> Callable[..., Markdown]:
    """`{{ download(file, where) }}` for the DOCX: a generated file's name, and where in it, as text;
    the file is noted in `named`, so that the document is rendered for the site as well."""
    def download(file: str, where: str = "") -> Markdown:
        named.append(file)
        return Markdown(literal("　".join(filter(None, [file, where]))))
    return download


def _download_link(file: str, where: str = "") -> Markdown:
    """`{{ download(file, where) }}` for the site: the file's name links to the file in the site's
    downloads/ folder, from a page at the site's root (where every document but the manual lands:
    output/site/layout.py)."""
    shown, name = literal("　".join(filter(None, [file, where]))), literal(file)
    return Markdown(f"[{name}](downloads/{file})" + shown[len(name):])  # `where` escaped as in the DOCX


def _clause_ids(value: str | list[str]) -> Markdown:
    """Clause ids for a `{clauses=…}` tag: only digits, dots and commas, inserted unescaped."""
    text = value if isinstance(value, str) else ",".join(value)
    if not re.fullmatch(r"\d+(\.\d+)*(,\d+(\.\d+)*)*", text):
        raise ValueError(f"not a list of clause ids: {text!r}")
    return Markdown(text)


def _by_id(table: dict[str, object], what: str, where: str) -> Callable[[str], object]:
    """A template's look-up of `table` by id: an id not in the data is an error, never an empty string."""
    def find(key: str) -> object:
        if key not in table:
            raise jinja2.UndefinedError(f"{what} “{key}” 不存在（见 {where}）")
        return table[key]
    return find


def template_context(profile: Profile, catalogue: Catalogue, assessment: Assessment, actions: list[Action],
                     routes: list[Route], materials: list[MaterialLine], certification: CertificationPlan | None,
                     facts: Facts) -> dict[str, object]:
    """The names every document template sees, with the short ones of earlier versions (`SHORT_NAMES`)."""
    form_names = _by_id({form.id: form.name for form in catalogue.forms}, "记录表单", "content/standard/forms.yaml")
    organisation = profile.organisation
    departments = {"aftersales": organisation.aftersales_department.name, "supervision": organisation.supervision.body,
                   **facts.roles}
    named = {
        "profile": profile, "catalogue": catalogue, "assessment": assessment, "facts": facts,
        "materials": materials, "material_counts": counts(materials), "actions": actions, "routes": routes,
        "certification": certification,
        "form": form_names,  # form("R06") -> 培训签到及考核表
        "cite_form": lambda form_id: f"{form_names(form_id)}（{form_id}）",  # -> 培训签到及考核表（R06）
        "procedures": [proc for proc in load_procedures() if proc.applies(facts.excluded)],
        "department": _by_id(departments, "部门角色", "content/standard/procedures.yaml 的 owner"),
        "see": lambda number: Markdown(headings.see(number)),  # see("13.2"): a reference to a section
    }
    return {**named, **{short: named[name] for short, name in SHORT_NAMES.items()}}


def render_documents(profile: Profile, catalogue: Catalogue, assessment: Assessment,
                     todo: list[Action], paths: list[Route], materials: list, content: FilePath | None = None,
                     certification=None, *, facts: Facts) -> list[Document]:
    """Every document's Markdown for this company, parsed; `facts` are what the profile implies
    (`facts_of`); `content` is an optional template override folder."""
    if content is not None:
        _check_encoding(content)
    env = environment(DOCUMENTS, content.resolve() if content else None)
    context = template_context(profile, catalogue, assessment, todo, paths, materials, certification, facts)
    out = []
    for spec in document_specs():
        named: list[str] = []
        markdown, noted = _render(env, spec, {**context, "download": _naming(named)}, content)
        document = Document.parse(spec, markdown, noted)
        _check_clause_tags(document, catalogue, content)
        site = _render(env, spec, {**context, "download": _download_link}, content)[0] if named else None
        document, site = _numbered(document, content, site)
        markdown = document.markdown
        customised = spec.key == "manual" and bool(profile.customisation)
        if customised:
            markdown = customise(markdown, profile.customisation, document.sections)
            site = customise(site, profile.customisation, document.sections) if site is not None else None
        if customised:
            document = Document.parse(spec, markdown, noted, site)
        elif site is not None:  # the document's own tokens stand; only the site's rendering is new
            document = replace(document, site=Document.parse(spec, site, noted))
        out.append(document)
        if any(line.document == spec.key for line in context["materials"]):
            placed = _placed(context["materials"], document)
            context = {**context, "materials": placed, SHORT_NAMES_OF["materials"]: placed}
    return out


SHORT_NAMES_OF = {name: short for short, name in SHORT_NAMES.items()}


def _placed(materials: list, document: Document) -> list:
    """The materials `document` holds, their sections ("4.1 组织机构图、17.2 处理程序与时限", materials.yaml)
    named as the document now numbers them (a consultant's templates, or a clause the profile leaves
    out, may renumber the manual), found by title. A section the document does not have is left out
    (the flow chart of 13.1 goes with repair excluded); a material none of whose sections it has is an error."""
    current: dict[str, str] = {}
    for section in document.sections:
        current.setdefault(headings.title(section.text), section.text)
    out, problems = [], []
    for line in materials:
        where = line.generated
        if where is None or where.document != document.key or not where.section:
            out.append(line)
            continue
        titles = [headings.title(part.strip()) for part in where.section.split("、")]
        found = [current[title] for title in titles if title in current]
        if not found:
            problems.append(Problem(f"申请材料 {line.material.id} {line.material.name} 所在的章节 “{where.section}” 不在{document.title}中",
                                    display(STANDARD / "materials.yaml"), hint="在模板中保留这一节，或改写 materials.yaml 中该材料的 section"))
        out.append(replace(line, generated=replace(where, section="、".join(found))))
    if problems:
        raise CoverageError("申请材料所在的章节有误", problems)
    return out


def _render(env: jinja2.Environment, spec: DocumentSpec, context: dict,
            content: FilePath | None) -> tuple[str, tuple[str, ...]]:
    """The document's Markdown and the fields it leaves blank (noted by `or_blank` as it renders)."""
    noted: list[str] = []
    reset = _BLANKS.set(noted)
    try:
        markdown = env.get_template(spec.template).render(context, doc=spec)
    except Exception as exc:  # RecursionError and MemoryError too: a template can cause them
        if content is None:
            raise  # our own templates: a bug, keep the traceback
        folder = content.resolve()
        where = _template_line(exc, folder)
        if where is None and not isinstance(exc, (jinja2.TemplateError, UnicodeDecodeError)):
            raise  # nothing of the consultant's templates was running: ours failed
        file, line = where or (str(getattr(exc, "filename", None) or content / spec.template),
                               getattr(exc, "lineno", None))
        if isinstance(exc, jinja2.TemplateNotFound):
            message = f"找不到被包含的模板 “{exc.name}”"
            hint = f"被包含的模板应在 {display(content)} 或内置模板中"
        else:
            message, hint = explain(exc, folder)
        raise AftersalesError("自定义模板有误", [Problem(message, display(file), line, hint=hint)]) from None
    finally:
        _BLANKS.reset(reset)
    found = CONTROL.search(markdown)  # every printed value was checked: written by a {% filter %} block, say
    if found is not None:
        if content is None:
            raise AssertionError(f"{spec.template} wrote U+{ord(found.group()):04X}")  # ours: a bug
        file = content / spec.template if (content / spec.template).is_file() else DOCUMENTS / spec.template
        raise AftersalesError("自定义模板有误", [Problem(
            f"模板 {spec.template} 或它包含的模板输出了不可见的控制字符 U+{ord(found.group()):04X}"
            f"（在输出的第 {markdown.count(chr(10), 0, found.start()) + 1} 行）", display(file), hint=CONTROL_HINT)])
    return markdown, tuple(noted)


def _check_clause_tags(document: Document, catalogue: Catalogue, content: FilePath | None) -> None:
    """Every clause a heading's `{clauses=…}` names exists, else an error at the template line that
    holds the heading. The rendered text does not say which template (an included one, perhaps) wrote
    a line, so the templates are searched for a heading tagged with the clause: those that also hold
    the title's words if any do; when none holds the tag as written (a tag made by an expression), the
    document's template is named as the one that includes it, not as the one that holds it."""
    problems, spec = [], document.spec
    for section in document.sections:
        for cid in section.clauses:
            if cid in catalogue.clauses:
                continue
            message = f"标题 “{section.text}” 引用了不存在的条款 {cid}"
            hint = "条款号见标准数据（content/standard/gbt27922-2011.yaml），或删去这个条款号"
            found = _tagged_lines(cid, section.text, content)
            problems += [Problem(message, display(file), line, column, hint=hint) for file, line, column in found]
            if not found:
                where = content / spec.template if content and (content / spec.template).is_file() else DOCUMENTS / spec.template
                problems.append(Problem(f"模板 {spec.template} 或它包含的模板中的{message}（找不到写有它的模板行）",
                                        display(where), hint=hint))
    if problems:
        raise CoverageError("文档模板的条款标记有误", problems)


def _numbered(document: Document, content: FilePath | None, site: str | None = None) -> tuple[Document, str | None]:
    """A numbered document with the numbers Word will show written into its headings and references
    (`headings.renumber`), and its site's rendering likewise; a reference that names no section is an
    error at the template line that makes it. A document that is not numbered has no references."""
    spec = document.spec
    try:
        if not spec.numbered:
            if "](#sec-" in document.markdown and any(  # as a reference is written (headings.see)
                    child.type == "link_open" and headings.REFERENCE.fullmatch(str(child.attrGet("href")))
                    for token in document.tokens if token.type == "inline" for child in token.children or []):
                raise headings.NumberingError(f"see() 只能用在编号的文档中（{spec.title}的标题没有编号）")
            return document, site
        markdown = headings.renumber(document.markdown, document.sections)
        if site is not None:
            site = headings.renumber(site, clausetags.sections(site))
    except headings.NumberingError as exc:
        where = content / spec.template if content and (content / spec.template).is_file() else DOCUMENTS / spec.template
        lines = [(display(path), row, line.index("see(") + 1) for path, row, line in _template_lines(content)
                 if "see(" in line and (not exc.reference or exc.reference in line)]
        raise CoverageError("文档模板的章节引用有误", [
            Problem(str(exc), file, line, column, hint="按模板中标题所写的编号引用，写作 see(\"13.2\") 或 see(\"附录 E\")；"
                    "被引用的一节若被您的模板删去了，请保留它，或连同引用它的句子一起改写（覆盖含这一行的模板）")
            for file, line, column in lines or [(display(where), None, None)]]) from None
    return (document if markdown == document.markdown else Document.parse(spec, markdown, document.blanks)), site


def _tagged_lines(cid: str, title: str, content: FilePath | None) -> list[tuple[FilePath, int, int]]:
    """(file, line, column) of the template lines with a `{clauses=…}` tag naming `cid`: the
    consultant's templates, then ours that they do not override; those with the title too, if any."""
    tag = re.compile(r"\{clauses=([0-9.,\s]+)\}")
    found = []
    for path, row, line in _template_lines(content):
        for match in tag.finditer(line):
            if cid in (part.strip() for part in match.group(1).split(",")):
                found.append((path, row, match.start() + 1, title in line))
    titled = [f for f in found if f[3]]
    return [f[:3] for f in (titled or found)]


def _template_lines(content: FilePath | None):
    """(file, line number, line) of every template line in use: the consultant's templates, then ours
    that they do not override."""
    roots = [content] if content is not None else []
    seen = set()
    for root in [*roots, DOCUMENTS]:
        for path in sorted(p for p in root.rglob("*.j2") if p.is_file()):
            name = path.relative_to(root).as_posix()
            if name in seen:
                continue  # overridden by the consultant's template of that name
            seen.add(name)
            for row, line in enumerate(path.read_text(encoding="utf-8", errors="replace").split("\n"), 1):
                yield path, row, line


def _check_encoding(folder: FilePath) -> None:
    """Every template (*.j2) in a consultant's folder is UTF-8 text (Jinja's error would not say which)
    without control characters (which would be written into the documents as they are)."""
    problems = []
    for path in sorted(p for p in folder.rglob("*.j2") if p.is_file()):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(
                f"不是 UTF-8 编码（第 {exc.start + 1} 字节无法解码）", display(path), raw[: exc.start].count(b"\n") + 1,
                hint="请在编辑器中以 UTF-8 编码另存"))
            continue
        for found in CONTROL.finditer(text):
            line_start = text.rfind("\n", 0, found.start()) + 1
            problems.append(Problem(f"含有不可见的控制字符 U+{ord(found.group()):04X}", display(path),
                                    text.count("\n", 0, found.start()) + 1, found.start() - line_start + 1,
                                    hint="通常来自从其他软件复制的文字，请删除"))
    if problems:
        raise AftersalesError("自定义模板有误", problems)


def _template_line(exc: BaseException, folder: FilePath) -> tuple[str, int] | None:
    """The innermost line of a template in `folder` that was running when `exc` was raised (Jinja
    reports template lines in the traceback); for templates that include one another without end,
    the first line of theirs in the cycle (the innermost depends on where the recursion limit struck)."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return exc.filename, exc.lineno
    inside = str(folder) + os.sep
    frames = traceback.extract_tb(exc.__traceback__)
    if isinstance(exc, RecursionError) and (entry := template_cycle_entry(exc)) is not None:
        for frame in frames[entry:]:
            if frame.filename.startswith(inside):
                return frame.filename, frame.lineno
    found = None
    for frame in frames:
        if frame.filename.startswith(inside):
            found = (frame.filename, frame.lineno)
    return found
