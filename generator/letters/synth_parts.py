"""The pieces of a synthetic letter's facts and prose (for :mod:`generator.letters.synth`):
the vocabulary of ``data/synth.yml``, dates, services, citations and the guideline
statements that name them, rationales, the reviewer and the clinical summary. Each
draws from the ``random.Random`` it is given, in a fixed order.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from functools import cache
from typing import Any

from generator.record import taxonomy

RELEVANT = (
    "The Expert Reviewer found the section of the Medical Treatment Utilization Schedule (MTUS) "
    "used by the Claims Administrator relevant and appropriate for the employee's clinical "
    "circumstance."
)
NO_EVIDENCE = "The Claims Administrator did not cite any medical evidence for its decision."
_MTUS_START = re.compile(r"(California |CA )?MTUS\b")


@cache
def data() -> dict[str, Any]:
    """The parsed ``data/synth.yml``."""
    return taxonomy.load("synth")


# --- small helpers -----------------------------------------------------------


def weighted(rng: random.Random, weights: dict[Any, float]) -> Any:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def join(words: list[str]) -> str:
    if len(words) <= 2:
        return " and ".join(words)
    return ", ".join(words[:-1]) + ", and " + words[-1]


def draw_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))



def lower_first(service: str, category: str) -> str:
    word = service.split(" ", 1)[0]
    if category != "pharmaceuticals" and len(word) > 1 and word[1:].islower():
        return service[0].lower() + service[1:]
    return service


# --- the intended facts --------------------------------------------------------


def draw_dates(rng: random.Random, layout: str) -> dict[str, Any]:
    d = data()
    if layout == "A":
        decision = draw_date(rng, dt.date(2013, 8, 1), dt.date(2013, 12, 31))
        report = decision - dt.timedelta(days=rng.randint(5, 45))
        ur = application = assigned = None
        priority = None
    else:
        year = weighted(rng, d["years"])
        decision = draw_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 31))
        priority = "expedited" if rng.random() < 0.05 else "standard"
        lag = rng.randint(1, 3) if priority == "expedited" else rng.randint(5, 30)
        assigned = decision - dt.timedelta(days=lag)
        application = assigned - dt.timedelta(days=rng.randint(1, 20))
        ur = application - dt.timedelta(days=rng.randint(3, 30))
        report = ur - dt.timedelta(days=rng.randint(3, 30))
    injury = report - dt.timedelta(days=rng.randint(120, 15 * 365))
    return {
        "injury": injury,
        "ur_denial": ur,
        "application_received": application,
        "assigned": assigned,
        "decision": decision,
        "report": report,
        "imaging": report - dt.timedelta(days=rng.randint(20, 200)),
        "priority": priority,
    }


def fill(template: str, v: dict[str, str]) -> str:
    return template.format_map(v) if "{" in template else template


def pick_services(rng: random.Random, region: str, reg: dict[str, Any], n: int) -> list[dict]:
    d = data()
    skip = set(reg.get("skip", ()))
    fits = [
        s
        for s in d["services"]
        if (region in s["regions"] if "regions" in s else True)
        and not (s.get("needs") == "part" and not reg.get("parts"))
        and s["why"] not in skip
    ]
    chosen: list[dict] = []
    for _ in range(n):
        pool = [s for s in fits if s not in chosen]
        cats = {
            c: w for c, w in d["category_weights"].items() if any(s["category"] == c for s in pool)
        }
        if not cats:
            break
        cat = weighted(rng, cats)
        in_cat = [s for s in pool if s["category"] == cat]
        chosen.append(rng.choices(in_cat, weights=[s.get("w", 1) for s in in_cat])[0])
    return chosen


def _citation(rng: random.Random, key: str, reg: dict[str, Any], svc: dict[str, Any]) -> str:
    d = data()
    if key == "acoem04" and "acoem04" in reg:
        ch = reg["acoem04"]
        pages = ch["pages"].get(svc.get("topic", "treatment")) or ch["pages"]["treatment"]
        form = rng.choice(d["acoem04_forms"])
        return form.format(n=ch["chapter"], title=ch["title"], p=rng.choice(pages))
    if key == "acoem3" and "acoem3" in reg:
        return rng.choice(reg["acoem3"])
    if key in ("acoem04", "acoem3", "odg"):
        text = rng.choice(reg["odg"])
        if svc.get("odg_topic") and "Chapter" not in text and rng.random() < 0.5:
            text += ", " + rng.choice(svc["odg_topic"])
        return text
    return d["citations"][key]


def cites(rng: random.Random, keys: list[str], reg: dict, svc: dict) -> list[str]:
    """One citation, or two (~12%) when the service has more than one."""
    n = 2 if len(keys) > 1 and rng.random() < 0.12 else 1
    return [_citation(rng, k, reg, svc) for k in rng.sample(keys, n)]


def _is_mtus(citation: str) -> bool:
    return "ODG" not in citation and "Official Disability" not in citation


def _labelled(citation: str, mtus: bool) -> str:
    """'MTUS <citation>' (sharing a leading 'MTUS') or 'Non-MTUS Citation <citation>'."""
    if not mtus:
        return "Non-MTUS Citation " + citation
    return citation if _MTUS_START.match(citation) else "MTUS " + citation


def statement(rng: random.Random, cites: list[str], who: str, layout: str) -> tuple[str, bool]:
    """A guideline statement ('Decision based on ...') and whether the MTUS was applied."""
    mtus = _is_mtus(cites[0])
    if layout == "A" and mtus and "ACOEM" in cites[0] and rng.random() < 0.3:
        mtus = False  # the seed calls an ACOEM chapter a "Non-MTUS Citation"
    body = _labelled(cites[0], mtus)
    if len(cites) > 1:
        second_mtus = _is_mtus(cites[1])
        body += " and " + (cites[1] if second_mtus == mtus else _labelled(cites[1], second_mtus))
    if who == "ca":
        return "Decision based on " + body, mtus
    pron = "their" if layout == "A" else "his/her"
    if mtus:
        return f"The Expert Reviewer based {pron} decision on the {body}", True
    return (
        f"The Expert Reviewer did not base {pron} decision on the MTUS.  Decision based on {body}",
        False,
    )


def _guide_name(rng: random.Random, cites: list[str]) -> str:
    for word, names in data()["guide_names"]:
        if cites and word in cites[0]:
            return str(rng.choice(names))
    return "MTUS guidelines"


def rationale(rng: random.Random, svc: dict, service: str, decision: str, cites: list[str]) -> str:
    r = data()["rationales"][svc["why"]]
    name = _guide_name(rng, cites)
    guide = rng.choice(r["guide"])
    first = rng.choice([f"The {name} {guide}.", f"Regarding this request, the {name} {guide}."])
    pool = r["lacking"] if decision == "upheld" else r["present"]
    body = rng.sample(pool, rng.randint(1, min(2, len(pool))))
    if rng.random() < 0.4:
        body.append(
            "Therefore, medical necessity has not been established."
            if decision == "upheld"
            else "The request is consistent with the guideline recommendations."
        )
    neg = "not " if decision == "upheld" else ""
    what = lower_first(service, svc["category"])
    last = f"The request for {what} is {neg}medically necessary and appropriate."
    return "  ".join([first, *body, last])


def reviewer(rng: random.Random, layout: str, region: str, first: dict) -> dict[str, Any]:
    d = data()
    spec_tables = d["specialties"]
    key = next(
        (k for k in (first.get("sub"), first["category"], region) if k in spec_tables), "default"
    )
    specialty = weighted(rng, spec_tables[key])
    subs = d["subspecialties"].get(specialty)
    sub = rng.choice(subs) if layout == "B" and subs and rng.random() < 0.3 else None
    n = rng.choice([3, 3, 2, 1]) if layout == "A" else rng.choice([1, 1, 1, 2, 3])
    states: list[str] = []
    while len(states) < n:
        s = "California" if not states and rng.random() < 0.8 else rng.choice(d["states"])
        if s not in states:
            states.append(s)
    rng.shuffle(states)
    printed = [
        d["misspelled_states"][s] if s in d["misspelled_states"] and rng.random() < 0.3 else s
        for s in states
    ]
    return {
        "specialty": specialty,
        "subspecialty": sub,
        "states": states,
        "printed_states": printed,
    }


def summary(rng: random.Random, case: dict[str, Any], reg: dict, v: dict, fmt: str) -> list[str]:
    d = data()
    sex = case["sex"]
    openings = d["opening"][:3] if sex else d["opening"][3:]
    injury = case["dates"]["injury"].strftime(fmt)
    out = [rng.choice(openings).format(age=case["age"], sex=sex, injury=injury)]
    if rng.random() < 0.8:
        out.append(
            rng.choice(d["mechanism_sentences"]).format(mechanism=rng.choice(d["mechanisms"]))
        )
    out.append("The diagnoses include " + join(case["diagnoses"]) + ".")
    report = case["dates"]["report"].strftime(fmt)
    complaint = fill(rng.choice(reg["complaints"]), v)
    pool = d["redactions"] if case["redacted"] else d["report_sentences"]
    provider = rng.choice(d["providers"])
    out.append(rng.choice(pool).format(date=report, complaint=complaint, provider=provider))
    if rng.random() < 0.7:
        out.append(
            rng.choice(d["finding_sentences"]).format(finding=fill(rng.choice(reg["findings"]), v))
        )
    if rng.random() < 0.6:
        t = rng.sample(d["treatments"], 3)
        out.append(rng.choice(d["treatment_sentences"]).format(t1=t[0], t2=t[1], t3=t[2]))
    if reg.get("imaging") and reg.get("parts") and rng.random() < 0.4:
        img = case["dates"]["imaging"].strftime(fmt)
        sent = rng.choice(d["imaging_sentences"])
        out.append(
            sent.format(part=v["part"], date=img, imaging=fill(rng.choice(reg["imaging"]), v))
        )
    if len(out) < 4 or rng.random() < 0.5:
        services = join([lower_first(s, c) for s, c, _ in case["items"]])
        out.append(rng.choice(d["request_sentences"]).format(services=services))
    return out[:8]
