"""The reviewer's credentials as a letter prints them: specialties, board
certification and licensed states (the 2016-17 labelled lines, else the 2013
sentences)."""

from __future__ import annotations

import re

from generator.letters import patterns as rx
from generator.letters.clean import join_lines
from generator.record import taxonomy


def parse_reviewer(how: str, warnings: list[str]) -> dict:
    """Specialties, board certification and licensed states: the 2016-17 labelled lines
    ("State(s) of Licensure:", "Certification(s)/Specialty:"), else the 2013 sentences."""
    text = join_lines(how)
    specialties: list[str] = []
    board_certified: bool | None = None
    listed = rx.SPECIALTY_LINE.search(how)
    if listed:
        value = re.sub(r"\s+", " ", listed.group("value")).strip()
        specialties = [s.strip() for s in value.split(",") if s.strip()]
    else:
        board = rx.BOARD_CERTIFIED.search(text)
        if board:
            specialties.append(board.group(1).strip())
        specialties += [m.group(1).strip() for m in rx.SUBSPECIALTY.finditer(text)]
        board_certified = True if board else None
        if rx.NOT_BOARD_CERTIFIED.search(text):
            board_certified = False
    licensure = rx.LICENSURE_LINE.search(how)
    lic_value = licensure.group("value") if licensure else None
    if lic_value is None and (lic := rx.LICENSED_IN.search(text)):
        lic_value = lic.group(1)
    return {
        "specialties": _reviewer_specialties(how, specialties, warnings),
        "board_certified": board_certified,
        "licensed_states": _licensed_states(lic_value, warnings),
    }


def _reviewer_specialties(how: str, specialties: list[str], warnings: list[str]) -> list[str]:
    if how.strip() and not specialties:
        warnings.append("reviewer specialty not found")
    return list(dict.fromkeys(specialties))


def _licensed_states(value: str | None, warnings: list[str]) -> list[str]:
    states: list[str] = []
    if value:
        for name in rx.STATE_SPLIT.split(value):
            name = name.strip()
            if not name:
                continue
            code, exact = taxonomy.state_code(name)
            if code is None:
                warnings.append(f"licensed state {name!r} not recognized; left out")
                continue
            if not exact:
                warnings.append(f"licensed state {name!r} read as {code}")
            if code not in states:
                states.append(code)
    return states
