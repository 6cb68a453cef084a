"""The tests mirror the code: unit tests live in tests/unit/<owner>/ (a service, the gateway or the
kernel), every test directory is a package, and unit tests import no e2e driver; a service's or the
kernel's unit tests do not build the gateway (services.gateway.main). Imports are read with ast,
also those inside functions, and followed through the tests' own helper modules."""
import ast
from pathlib import Path

import pytest

from services import NAMES

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
UNIT = TESTS / "unit"
OWNERS = {*NAMES, "gateway", "shared"}
# the e2e tier and its drivers (tests/support/__init__.py says which support modules are drivers)
E2E = ("tests.e2e", "tests.integration", "tests.support.driver", "tests.support.web_driver", "tests.support.sse",
       "tests.support.skeleton", "tests.support.platform")
COMPOSITION = ("services.gateway.main",)


def imports_of(source: str) -> set[str]:
    """Every module an import statement names; `from a import b` names a and a.b (b may be a module)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def module_file(name: str) -> Path | None:
    path = ROOT.joinpath(*name.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def reached(path: Path) -> dict[str, str]:
    """The modules a test file imports, directly or through the tests' own modules: {module: via}."""
    found: dict[str, str] = {}
    todo, seen = [(path, str(path.relative_to(ROOT)))], set()
    while todo:
        current, via = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for name in imports_of(current.read_text()):
            found.setdefault(name, via)
            if name.startswith("tests.") and (helper := module_file(name)) and helper != current:
                todo.append((helper, f"{via} -> {name}"))
    return found


def violations(path: Path, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(f"{name} (via {via})" for name, via in reached(path).items()
                  if any(name == f or name.startswith(f + ".") for f in forbidden))


def owner_of(path: Path) -> str:
    return path.relative_to(UNIT).parts[0]


UNIT_FILES = sorted(p for p in UNIT.rglob("*.py") if p.name.startswith("test_") or p.name == "conftest.py")


def test_the_scan_sees_every_form_of_import():
    source = ("import tests.e2e.conftest\nfrom services.gateway import main\n"
              "def f():\n    from tests.support.driver import login\n")
    assert {"tests.e2e.conftest", "services.gateway.main", "tests.support.driver"} <= imports_of(source)
    through = violations(UNIT / "registration" / "test_case_parts.py", ("services.gateway.errors",))
    assert through and "-> tests.support.api" in through[0]  # reached through a helper module


def test_every_unit_test_sits_with_its_owner_and_every_service_has_its_tests():
    misplaced = [str(p.relative_to(ROOT)) for p in UNIT_FILES
                 if p.parent != UNIT and owner_of(p) not in OWNERS]
    loose = [str(p.relative_to(ROOT)) for p in UNIT_FILES
             if p.parent == UNIT and p.name not in ("conftest.py", Path(__file__).name)]
    assert not misplaced and not loose, f"unit tests belong in tests/unit/<{'|'.join(sorted(OWNERS))}>/"
    assert {p.name for p in UNIT.iterdir() if p.is_dir() and p.name != "__pycache__"} == OWNERS


def test_every_test_directory_is_a_package():
    directories = {p.parent for p in TESTS.rglob("*.py")}
    assert [str(d.relative_to(ROOT)) for d in sorted(directories) if not (d / "__init__.py").is_file()] == []


@pytest.mark.parametrize("path", UNIT_FILES, ids=lambda p: str(p.relative_to(UNIT)))
def test_unit_tests_import_no_e2e_driver_and_only_the_gateways_own_build_the_gateway(path):
    forbidden = E2E if path.parent != UNIT and owner_of(path) == "gateway" else E2E + COMPOSITION
    assert violations(path, forbidden) == []
