"""Declarative official forms: each form (FR.APL.01, FR.APL.02, ...) is defined once, and from that one
definition come the request model, validation naming every problem by the field's label, the sealed
fields, the page (shared/templates/forms.html), the PDF (shared/documents.py) and the canonical content a
signature hashes (shared/signing.py).

Plain Python at import (domain code may use it): pydantic is imported only by `request_model`. Every
label is a pair (Indonesian, English); `lang` is "id" (the default) or "en".

    NOTES = Field("notes", ("Catatan", "Notes"), kind=LONG_TEXT, max_length=2000)
    FORM = register(Form("FR.X.01", ("JUDUL", "Title"), sections=(Section("a", ("A", "A"), (NOTES,)),)))
    FORM.problems({"notes": 1}, "en") == {"notes": "Notes: must be text"}
"""
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from shared.errors import Invalid
from shared.signing import canonical, content_sha256

Label = tuple[str, str]  # (Indonesian, English)

# field kinds: what is typed (and how a page asks for it)
TEXT, LONG_TEXT, DATE, CHOICE, EMAIL, PHONE, NUMBER, POSTCODE = (
    "text", "long_text", "date", "choice", "email", "phone", "number", "postcode")
KINDS = (TEXT, LONG_TEXT, DATE, CHOICE, EMAIL, PHONE, NUMBER, POSTCODE)
# the format each kind checks unless its field names another, with how a person calls that format
KIND_FORMATS: dict[str, tuple[str, Label]] = {
    EMAIL: (r"[^@\s]+@[^@\s]+\.[^@\s]+", ("alamat email", "e-mail address")),
    PHONE: (r"\+?[0-9][0-9 -]{5,18}", ("nomor telepon", "phone number")),
    POSTCODE: (r"[0-9]{5}", ("kode pos 5 digit", "5-digit postcode")),
    NUMBER: (r"-?[0-9]+([.,][0-9]+)?", ("angka", "number")),
    DATE: (r"[0-9]{4}-[0-9]{2}-[0-9]{2}", ("tanggal YYYY-MM-DD", "date YYYY-MM-DD")),
}
SAMPLES = {DATE: "1990-05-15", EMAIL: "siti@contoh.co.id", PHONE: "081234567890", POSTCODE: "40111", NUMBER: "42",
           LONG_TEXT: "Dokumen lengkap.\nPindaian jelas."}
INPUT_TYPES = {DATE: "date", EMAIL: "email", PHONE: "tel", NUMBER: "text", POSTCODE: "text", TEXT: "text"}

# what a problem says, after the field's label: (Indonesian, English) templates
MESSAGES: dict[str, Label] = {
    "required": ("wajib diisi", "is required"),
    "unknown": ("isian ini tidak ada pada formulir", "this form has no such field"),
    "not_text": ("harus berupa teks", "must be text"),
    "too_long": ("maksimal {max_length} karakter", "at most {max_length} characters"),
    "format": ("bukan {format} yang valid", "not a valid {format}"),
    "choice": ("harus salah satu dari: {choices}", "must be one of: {choices}"),
    "date": ("bukan tanggal yang valid", "not a valid date"),
    "date_range": ("tanggal harus antara {earliest} dan {latest}", "the date must be between {earliest} and {latest}"),
}


def say(label: Label, lang: str = "id") -> str:
    return label[1] if lang == "en" else label[0]


@dataclass(frozen=True)
class Choice:
    value: str
    label: Label


def choices(*pairs: str | tuple[str, str] | tuple[str, str, str]) -> tuple[Choice, ...]:
    """Choices from values ("S1": labelled as itself) or (value, Indonesian[, English]) tuples."""
    out = []
    for pair in pairs:
        if isinstance(pair, str):
            out.append(Choice(pair, (pair, pair)))
        else:
            value, indonesian, *english = pair
            out.append(Choice(value, (indonesian, english[0] if english else indonesian)))
    return tuple(out)


@dataclass(frozen=True)
class Field:
    """One field of a form. `pattern` (a full match, after runs of whitespace become one space) and its
    `format` (how a person calls it) override the kind's; `sealed`: personal data, sealed per person
    (shared/privacy.py) before any event holds it; `earliest`/`latest` bound a date ("today" allowed)."""
    name: str
    label: Label
    kind: str = TEXT
    required: bool = False
    pattern: str | None = None
    format: Label | None = None
    max_length: int = 300
    choices: tuple[Choice, ...] = ()
    sealed: bool = False
    help: Label | None = None
    earliest: str | None = None
    latest: str | None = None
    example: str | None = None  # a valid value (OpenAPI, the form test); a field with its own pattern needs one

    def __post_init__(self) -> None:
        if self.pattern and self.example is None:
            raise ValueError(f"{self.name}: a field with its own pattern gives a valid example")
        if self.kind not in KINDS:
            raise ValueError(f"{self.name}: unknown kind {self.kind!r}")
        if (self.kind == CHOICE) != bool(self.choices):
            raise ValueError(f"{self.name}: a choice field, and only it, has choices")

    def sample(self) -> str:
        """A valid value: the example, else one of its kind."""
        if self.example is not None:
            return self.example
        if self.choices:
            return self.choices[0].value
        return SAMPLES.get(self.kind, "Nguyễn Thị Ánh")

    @property
    def regex(self) -> str | None:
        return self.pattern or KIND_FORMATS.get(self.kind, (None,))[0]

    def format_label(self) -> Label:
        return self.format or KIND_FORMATS.get(self.kind, ("", ("format", "format")))[1]

    def choice_label(self, value: Any, lang: str = "id") -> str:
        """A coded answer as words ("P" -> "Perempuan"); anything else as it is."""
        for choice in self.choices:
            if choice.value == value:
                return say(choice.label, lang)
        return "" if value is None else str(value)

    def clean(self, value: Any) -> tuple[str | None, tuple[str, dict[str, str]] | None]:
        """(the value as kept, None) or (None, (problem, params)). "" and None clear the field."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None, None
        if not isinstance(value, str):
            return None, ("not_text", {})
        if self.kind == LONG_TEXT:  # lines kept, each line's spacing evened
            text = "\n".join(" ".join(line.split()) for line in value.strip().splitlines())
        else:
            text = " ".join(value.split())
        if len(text) > self.max_length:
            return None, ("too_long", {"max_length": str(self.max_length)})
        if self.choices:
            if text not in {c.value for c in self.choices}:
                return None, ("choice", {"choices": ", ".join(c.value for c in self.choices)})
            return text, None
        if self.regex and not re.fullmatch(self.regex, text):
            return None, ("format", {"format": self.format_label()})  # type: ignore[dict-item]
        if self.kind == DATE:
            try:
                day = date.fromisoformat(text)
            except ValueError:
                return None, ("date", {})
            earliest, latest = _day(self.earliest, date.min), _day(self.latest, date.max)
            if not earliest <= day <= latest:
                return None, ("date_range", {"earliest": earliest.isoformat(), "latest": latest.isoformat()})
        return text, None


def _day(text: str | None, default: date) -> date:
    return default if text is None else date.today() if text == "today" else date.fromisoformat(text)


def message(problem: tuple[str, dict[str, Any]], lang: str = "id") -> str:
    """A problem (from Field.clean) in words, without the field."""
    name, params = problem
    return say(MESSAGES[name], lang).format_map(
        {k: say(v, lang) if isinstance(v, tuple) else v for k, v in params.items()})


@dataclass(frozen=True)
class Section:
    key: str
    title: Label
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class GridRow:
    """A row of the unit / element / KUK grid: an element of a unit (a unit without elements as a whole)."""
    unit_code: str
    unit_title: str
    element_no: str | None
    element_title: str | None
    kuk: tuple[tuple[str, str], ...]  # (number, text)

    @property
    def key(self) -> str:
        return self.unit_code if self.element_no is None else f"{self.unit_code}/{self.element_no}"


@dataclass(frozen=True)
class Grid:
    """The unit / element / KUK grid FR.APL.02 and the assessment forms share: one row per element of each
    unit of a scheme, each answered with one of `answers` (K/BK...) and, when `evidence`, the evidence."""
    key: str
    title: Label
    answers: tuple[Choice, ...]
    evidence: bool = True
    row_label: Label = ("Elemen / Kriteria Unjuk Kerja", "Element / performance criteria")
    evidence_label: Label = ("Bukti yang relevan", "Relevant evidence")

    def rows(self, scheme: Mapping[str, Any]) -> list[GridRow]:
        rows = []
        for unit in scheme.get("units") or []:
            elements = unit.get("elements") or []
            if not elements:
                rows.append(GridRow(unit["code"], unit["title"], None, None, ()))
            for element in elements:
                rows.append(GridRow(unit["code"], unit["title"], str(element["number"]), element["title"],
                                    tuple((str(k["number"]), k["text"]) for k in element.get("kuk") or [])))
        return rows

    def problems(self, scheme: Mapping[str, Any], answers: Mapping[str, Any], lang: str = "id") -> dict[str, str]:
        """{row key: message} for each row not answered, or answered with none of `answers`."""
        allowed = {c.value for c in self.answers}
        out = {}
        for row in self.rows(scheme):
            answer = (answers.get(row.key) or {}).get("answer")
            name = f"{row.unit_code} {row.element_no or ''}".strip()
            if answer is None:
                out[row.key] = f"{name}: {message(('required', {}), lang)}"
            elif answer not in allowed:
                out[row.key] = f"{name}: {message(('choice', {'choices': ', '.join(sorted(allowed))}), lang)}"
        return out


@dataclass(frozen=True)
class Signer:
    """A signature block: who signs (a role of shared.web) and how the form names them."""
    role: str
    label: Label


@dataclass(frozen=True)
class Form:
    code: str  # as printed on the official form: "FR.APL.01"
    title: Label  # ("PERMOHONAN SERTIFIKASI KOMPETENSI", "Application for competency certification")
    sections: tuple[Section, ...] = ()
    grid: Grid | None = None
    signers: tuple[Signer, ...] = ()
    service: str = ""
    key: str = ""  # where the registry keeps it: its code unless one official form has several parts

    @property
    def id(self) -> str:
        return self.key or self.code

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.code}: a field name is used twice")

    # -- the definition read back ----------------------------------------------------------------------

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(f for s in self.sections for f in s.fields)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    @property
    def sealed(self) -> tuple[str, ...]:
        """The fields sealed per person before any event holds them (shared.privacy.Vault.seal_fields)."""
        return tuple(f.name for f in self.fields if f.sealed)

    def part(self, *keys: str) -> "Form":
        """The same form with only these sections (a request that saves one part of it)."""
        missing = set(keys) - {s.key for s in self.sections}
        if missing:
            raise KeyError(sorted(missing))
        return replace(self, sections=tuple(s for s in self.sections if s.key in keys))

    def label(self, name: str, lang: str = "id") -> str:
        return say(self.field(name).label, lang)

    def heading(self, lang: str = "id") -> str:
        return f"{self.code} {say(self.title, lang)}"

    # -- validation: every problem at once ----------------------------------------------------------------

    def _checked(self, values: Mapping[str, Any], partial: bool) -> tuple[dict[str, str | None],
                                                                          dict[str, tuple[str, dict]]]:
        known = {f.name: f for f in self.fields}
        cleaned: dict[str, str | None] = {}
        problems: dict[str, tuple[str, dict]] = {}
        for name, value in values.items():
            if name not in known:
                problems[name] = ("unknown", {})
                continue
            kept, problem = known[name].clean(value)
            if problem:
                problems[name] = problem
            else:
                cleaned[name] = kept
        if not partial:
            for f in self.fields:
                if f.required and f.name not in problems and not cleaned.get(f.name):
                    problems[f.name] = ("required", {})
        ordered = {n: problems[n] for n in [*self.names, *values] if n in problems}
        return cleaned, ordered

    def problems(self, values: Mapping[str, Any], lang: str = "id", partial: bool = False) -> dict[str, str]:
        """{field: "<its label>: <what is wrong>"} for every problem, in the form's order, in `lang`.
        `partial`: a draft, so a required field left empty is no problem yet. Messages never repeat the
        value (it may be personal data)."""
        _, found = self._checked(values, partial)
        return {name: f"{self.label(name, lang) if name in self.names else name}: {message(problem, lang)}"
                for name, problem in found.items()}

    def check(self, values: Mapping[str, Any], partial: bool = True) -> dict[str, str | None]:
        """The values as kept (whitespace evened; "" and None as None, which clears a field), or Invalid
        naming every field with a problem (the first as its `field`); `problems(values)` says what each is."""
        cleaned, found = self._checked(values, partial)
        if found:
            raise Invalid("please correct: {fields}", field=next(iter(found)), fields=list(found))
        return cleaned

    # -- what is signed ------------------------------------------------------------------------------------

    def sample(self) -> dict[str, str]:
        """A valid value for each field."""
        return {f.name: f.sample() for f in self.fields}

    def content(self, values: Mapping[str, Any], **extra: Any) -> dict[str, Any]:
        """The canonical content a signature over this form hashes: the form's code, each of its fields
        (absent ones as null, so an added or removed value changes the hash) and `extra` (the grid's
        answers, the hashes of attached files...)."""
        return {"form": self.code, "fields": {name: values.get(name) for name in self.names}, **extra}

    def canonical(self, values: Mapping[str, Any], **extra: Any) -> bytes:
        return canonical(self.content(values, **extra))

    def sha256(self, values: Mapping[str, Any], **extra: Any) -> str:
        return content_sha256(self.content(values, **extra))

    # -- the page ---------------------------------------------------------------------------------------------

    def page(self, values: Mapping[str, Any] | None = None, errors: Mapping[str, str] | None = None,
             lang: str = "id", scheme: Mapping[str, Any] | None = None,
             answers: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """What shared/templates/forms.html needs to render the form: sections of fields with their labels,
        kinds, choices, current values and errors (from `problems`), and the grid's rows for `scheme`."""
        values, errors = values or {}, errors or {}
        page: dict[str, Any] = {
            "code": self.code, "title": say(self.title, lang), "lang": lang,
            "sections": [{"key": s.key, "title": say(s.title, lang),
                          "fields": [field_context(f, values.get(f.name), errors.get(f.name), lang)
                                     for f in s.fields]} for s in self.sections],
            "signers": [{"role": s.role, "label": say(s.label, lang)} for s in self.signers],
            "errors": dict(errors), "grid": None,
        }
        if self.grid and scheme is not None:
            page["grid"] = grid_context(self.grid, scheme, answers or {}, errors, lang)
        return page

    # -- the request model -----------------------------------------------------------------------------------

    def request_model(self, name: str, base: type | None = None, doc: str = "") -> type:
        """A pydantic model of this form's fields: any subset (a draft), "" clears a field, other fields
        refused, lengths bounded; a field's problem is reported as `problems` words it (every field at
        once, by the framework's validation error)."""
        from shared.form_models import grid_request_model, request_model
        return (grid_request_model if self.grid and not self.fields else request_model)(self, name, base, doc)


def field_context(f: Field, value: Any, error: str | None, lang: str = "id") -> dict[str, Any]:
    return {"name": f.name, "label": say(f.label, lang), "kind": f.kind, "input_type": INPUT_TYPES.get(f.kind),
            "required": f.required, "sealed": f.sealed, "max_length": f.max_length,
            "pattern": f.regex if f.kind not in (DATE, CHOICE) else None,
            "help": say(f.help, lang) if f.help else None,
            "choices": [{"value": c.value, "label": say(c.label, lang)} for c in f.choices],
            "value": "" if value is None else str(value), "error": error}


def grid_context(grid: Grid, scheme: Mapping[str, Any], answers: Mapping[str, Any], errors: Mapping[str, str],
                 lang: str = "id") -> dict[str, Any]:
    units: dict[str, dict[str, Any]] = {}
    for row in grid.rows(scheme):
        unit = units.setdefault(row.unit_code, {"code": row.unit_code, "title": row.unit_title, "rows": []})
        saved = answers.get(row.key) or {}
        unit["rows"].append({"key": row.key, "element_no": row.element_no, "element_title": row.element_title,
                             "kuk": [{"number": n, "text": t} for n, t in row.kuk],
                             "answer": saved.get("answer"), "evidence": list(saved.get("evidence") or []),
                             "error": errors.get(row.key)})
    rows = [row for unit in units.values() for row in unit["rows"]]
    return {"key": grid.key, "title": say(grid.title, lang), "row_label": say(grid.row_label, lang),
            "answered": sum(1 for row in rows if row["answer"]), "total": len(rows),
            "evidence": grid.evidence, "evidence_label": say(grid.evidence_label, lang),
            "answers": [{"value": c.value, "label": say(c.label, lang)} for c in grid.answers],
            "units": list(units.values())}


TEMPLATES = Path(__file__).parent / "templates"  # forms.html: the macros a page imports


# -- every form of the platform -------------------------------------------------------------------------------

REGISTRY: dict[str, Form] = {}


def register(form: Form) -> Form:
    """Each service's forms.py registers its forms here; the form test runs every one."""
    if REGISTRY.get(form.id, form) != form:
        raise ValueError(f"{form.id} is defined twice")
    REGISTRY[form.id] = form
    return form


def all_forms(packages: Iterable[str] = ()) -> dict[str, Form]:
    """Every registered form, after importing `<package>.forms` for each package that has one."""
    from importlib import import_module
    from importlib.util import find_spec
    for package in packages:
        if find_spec(f"{package}.forms") is not None:
            import_module(f"{package}.forms")
    return dict(REGISTRY)


__all__ = ["CHOICE", "DATE", "EMAIL", "LONG_TEXT", "NUMBER", "PHONE", "POSTCODE", "TEXT", "Choice", "Field", "Form",
           "Grid", "GridRow", "Label", "Section", "Signer", "all_forms", "choices", "register", "say"]
