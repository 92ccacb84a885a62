"""Places a question may name, and the ways a passage that mentions each one writes it.

"is lupus more common in california", "is car t for lupus available in australia": the sources
say nothing of either place, and the answer was a pile of sentences on lupus in general (session
41). A question naming a place that no retrieved passage mentions is one the sources do not answer
(`coverage.unmentioned_places`). Countries, the larger regions, US states and Canadian provinces,
and cities people ask about; each with the words a passage mentioning it would use ("United
States" for "the us", "German" for "germany"). Lower case, as `index.terms.fold` writes text.
"""

from __future__ import annotations

import re

# place as typed → what a passage mentioning it may say (its name is always one)
_ALIASES: dict[str, tuple[str, ...]] = {
    "the us": ("united states", "u.s.", "america", "american"),
    "the usa": ("united states", "u.s.", "america", "american"),
    "the united states": ("u.s.", "america", "american"),
    "america": ("united states", "u.s.", "american"),
    "the uk": ("united kingdom", "britain", "british", "england", "english", "nhs"),
    "the united kingdom": ("uk", "britain", "british", "england"),
    "britain": ("united kingdom", "uk", "british", "england"),
    "england": ("united kingdom", "uk", "britain", "british", "english"),
    "scotland": ("united kingdom", "uk", "britain", "british", "scottish"),
    "wales": ("united kingdom", "uk", "britain", "british", "welsh"),
    "ireland": ("irish",),
    "canada": ("canadian",),
    "mexico": ("mexican",),
    "brazil": ("brazilian",),
    "argentina": ("argentin",),
    "germany": ("german", "erlangen"),
    "france": ("french",),
    "spain": ("spanish",),
    "italy": ("italian",),
    "netherlands": ("dutch",),
    "belgium": ("belgian",),
    "switzerland": ("swiss",),
    "austria": ("austrian",),
    "sweden": ("swedish", "scandinavia"),
    "norway": ("norwegian", "scandinavia"),
    "denmark": ("danish", "scandinavia"),
    "finland": ("finnish",),
    "poland": ("polish",),
    "greece": ("greek",),
    "turkey": ("turkish",),
    "russia": ("russian",),
    "israel": ("israeli",),
    "egypt": ("egyptian",),
    "nigeria": ("nigerian",),
    "south africa": ("south african",),
    "kenya": ("kenyan",),
    "india": ("indian",),
    "pakistan": ("pakistani",),
    "china": ("chinese",),
    "japan": ("japanese",),
    "korea": ("korean",),
    "south korea": ("korean",),
    "taiwan": ("taiwanese",),
    "singapore": (),
    "philippines": ("filipino", "philippine"),
    "vietnam": ("vietnamese",),
    "thailand": ("thai",),
    "indonesia": ("indonesian",),
    "malaysia": ("malaysian",),
    "australia": ("australian",),
    "new zealand": ("zealand",),
    "europe": ("european",),
    "asia": ("asian",),
    "africa": ("african",),
    "latin america": ("latin american", "hispanic"),
    "south america": ("south american",),
    "the middle east": ("middle eastern",),
}

_US_STATES = """alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii
idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota
mississippi missouri montana nebraska nevada new_hampshire new_jersey new_mexico new_york north_carolina
north_dakota ohio oklahoma oregon pennsylvania rhode_island south_carolina south_dakota tennessee texas
utah vermont virginia washington west_virginia wisconsin wyoming""".split()  # noqa: SIM905 - a word list

_PROVINCES = "ontario quebec alberta manitoba saskatchewan nova_scotia british_columbia".split()  # noqa: SIM905

_CITIES = """boston chicago houston dallas seattle atlanta miami denver phoenix philadelphia los_angeles
san_francisco san_diego toronto montreal vancouver london paris berlin munich erlangen madrid rome
amsterdam stockholm sydney melbourne tokyo beijing shanghai delhi mumbai""".split()  # noqa: SIM905

PLACES: dict[str, tuple[str, ...]] = {
    **_ALIASES,
    **{
        p.replace("_", " "): ()
        for p in (*_US_STATES, *_PROVINCES, *_CITIES)
        if p.replace("_", " ") not in _ALIASES
    },
}

# a place asked "in", "near", "from", "around", "across" or "outside": "is lupus more common in
# california", "car t trials near boston"; not "georgia" as a name without one, nor "washington" in
# "washington university" (a place word followed by an institution's word is the institution's)
_PLACE = re.compile(
    r"\b(?:in|near|around|across|from|outside(?: of)?|throughout)\s+("
    + "|".join(re.escape(p) for p in sorted(PLACES, key=len, reverse=True))
    + r")\b(?!\s+(?:university|college|clinic|hospital|medical|institute|school|state university))"
)


def places_named(plain_question: str) -> list[str]:
    """The places a lower-cased, folded question asks about ("in california" → "california")."""
    return list(dict.fromkeys(m.group(1) for m in _PLACE.finditer(plain_question)))


def mentioned(place: str, plain_text: str) -> bool:
    """Does the lower-cased, folded text mention the place, by its name or a word for it?"""
    name = place.removeprefix("the ")
    return any(re.search(rf"\b{re.escape(w)}", plain_text) for w in (name, *PLACES.get(place, ())))


def display(place: str) -> str:
    """The place as an answer writes it: "the US", "New York"."""
    words = place.split()
    return " ".join(
        w if w == "the" else w.upper() if w in {"us", "uk", "usa"} else w.capitalize() for w in words
    )
