"""The pydantic request model of a form definition (shared/forms.py), kept apart so that domain code
importing shared.forms does not import pydantic.

Each field is optional (a draft saves any subset), its text evened (runs of whitespace as one space) and
"" read as null (which clears it), bounded by its max_length, documented in OpenAPI by its labels, kind,
pattern and choices, and checked by the definition: a problem is a validation error of type "form_field"
whose context holds the message in both languages, so the API lists every field's problem at once."""
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, StringConstraints, create_model
from pydantic import Field as PydanticField
from pydantic_core import PydanticCustomError

from shared.forms import CHOICE, LONG_TEXT, Field, Form, message, say

ERROR_TYPE = "form_field"  # its Indonesian text: services/gateway/web/i18n.py VALIDATION_TEXT


def _evened(kind: str):
    def even(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if kind == LONG_TEXT:
            value = "\n".join(" ".join(line.split()) for line in value.strip().splitlines())
        else:
            value = " ".join(value.split())
        return value or None
    return even


def _checked(f: Field):
    def check(value: str | None) -> str | None:
        if value is None:
            return None
        kept, problem = f.clean(value)
        if problem:
            raise PydanticCustomError(ERROR_TYPE, "{message_en}",
                                      {"message_en": message(problem, "en"), "message_id": message(problem, "id")})
        return kept
    return check


def annotation(f: Field) -> Any:
    schema: dict[str, Any] = {"x-label": {"id": f.label[0], "en": f.label[1]}, "x-kind": f.kind}
    if f.sealed:
        schema["x-sealed"] = True
    if f.kind == CHOICE:
        schema["enum"] = [c.value for c in f.choices]
    elif f.regex:
        schema["pattern"] = f"^(?:{f.regex})$"
    schema["examples"] = [f.sample()]
    description = say(f.label, "en")
    if f.kind == CHOICE:
        description += ": " + ", ".join(f"{c.value} ({say(c.label, 'en')})" for c in f.choices)
    elif f.format or f.regex:
        description += f" ({say(f.format_label(), 'en')})"
    bounded = Annotated[str, StringConstraints(max_length=f.max_length)]
    return Annotated[bounded | None, BeforeValidator(_evened(f.kind)), AfterValidator(_checked(f)),
                     PydanticField(default=None, title=f.label[0],
                                   description=description, json_schema_extra=schema)]


def request_model(form: Form, name: str, base: type | None = None, doc: str = "") -> type[BaseModel]:
    class Strict(base or BaseModel):  # type: ignore[misc, valid-type]
        model_config = ConfigDict(extra="forbid")

    fields: dict[str, Any] = {f.name: (annotation(f), None) for f in form.fields}
    return create_model(name, __base__=Strict, __module__=Strict.__module__,
                        __doc__=doc or f'{form.heading("en")}: any subset of its fields; "" clears one', **fields)


def response_model(form: Form, name: str, base: type[BaseModel], doc: str = "") -> type[BaseModel]:
    """A pydantic model of what a read model holds of this form: each field as text, absent until filled in."""
    fields: dict[str, Any] = {
        f.name: (str | None, PydanticField(default=None, title=f.label[0], description=say(f.label, "en")))
        for f in form.fields}
    return create_model(name, __base__=base, __module__=base.__module__, __doc__=doc or form.heading("en"), **fields)


GridCode = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9./_-]+$")]
ElementNumber = Annotated[str, StringConstraints(min_length=1, max_length=16, pattern=r"^[0-9]+(\.[0-9]+)*$")]
FileId = Annotated[str, StringConstraints(min_length=1, max_length=64)]


def grid_request_model(form: Form, name: str, base: type | None = None, doc: str = "") -> type[BaseModel]:
    """A pydantic model of answers to the form's unit / element / KUK grid: rows named by unit code and
    element number, each answered with one of the grid's choices (null removes a saved answer) and, when
    the grid asks for it, the evidence cited (file ids). Which rows exist is the scheme's, so the domain
    checks the codes against the case's scheme; the shape and the choices come from here."""
    grid = form.grid
    assert grid is not None, f"{form.code} has no grid"
    choices = tuple(c.value for c in grid.answers)
    row_fields: dict[str, Any] = {
        "unit_code": (GridCode, PydanticField(description="the unit's code, as in the scheme")),
        "element_no": (int | ElementNumber | None, PydanticField(
            default=None, description="the element's number; null for a unit without elements")),
        "answer": (Literal[choices] | None, PydanticField(  # type: ignore[valid-type]
            description=", ".join(f"{c.value} = {say(c.label, 'en')}" for c in grid.answers)
            + "; null removes a saved answer")),
    }
    if grid.evidence:
        row_fields["evidence"] = (list[FileId], PydanticField(
            default=[], max_length=50, description="file ids of this case's documents or portfolio uploads"))

    class StrictRow(BaseModel):
        model_config = ConfigDict(extra="forbid")

    row = create_model(f"{name}Row", __base__=StrictRow, __module__=StrictRow.__module__,
                       __doc__=f"One row of {form.code}'s grid", **row_fields)

    class Strict(base or BaseModel):  # type: ignore[misc, valid-type]
        model_config = ConfigDict(extra="forbid")

    return create_model(name, __base__=Strict, __module__=Strict.__module__,
                        __doc__=doc or f"{form.heading('en')}: answers to save, merged with those saved before",
                        answers=(list[row], PydanticField(min_length=1, max_length=500)))  # type: ignore[valid-type]
