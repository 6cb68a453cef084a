"""Statuses as enumerations moved by one table of allowed transitions (shared/status.py)."""
from enum import StrEnum

import pytest

from shared.errors import Conflict, Invalid
from shared.status import Transitions


class Light(StrEnum):
    RED = "red"
    GREEN = "green"
    OFF = "off"


LIGHT = Transitions("light", Light, {Light.RED: {"go": Light.GREEN, "off": Light.OFF},
                                     Light.GREEN: {"stop": Light.RED}, Light.OFF: {}})


def test_a_table_says_what_may_follow_and_refuses_the_rest():
    assert LIGHT.actions("red") == ("go", "off") and LIGHT.actions(Light.OFF) == ()
    assert LIGHT.next("red", "go") is Light.GREEN and LIGHT.can("green", "stop") and not LIGHT.can("off", "go")
    LIGHT.require("green", "red")
    with pytest.raises(Conflict) as refused:
        LIGHT.next("off", "go")
    assert refused.value.template == "not possible while the {what} is '{status}'"
    assert refused.value.params == {"what": "light", "status": "off"}
    with pytest.raises(Conflict):
        LIGHT.require("green", "off")
    with pytest.raises(Invalid) as unknown:
        LIGHT.parse("blue")
    assert unknown.value.field == "status" and LIGHT.parse("red") is Light.RED
    assert LIGHT.final() == (Light.OFF,) and LIGHT.reachable("green") == {Light.GREEN, Light.RED, Light.OFF}
    with pytest.raises(ValueError):  # every status has its row
        Transitions("light", Light, {Light.RED: {}})
