"""A table of ID document numbers of every kind, shared by the drivers' and the server's tests.

Invented people with correct check characters (computed independently with python-stdnum's
`calc_check_digit`, see tests/drivers/test_id_numbers.py). Several carry division codes of districts
created after their holder's birth, which python-stdnum's `cn.ric` refuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Case:
    number: str
    kind: str | None  # None: refused
    birth: date | None = None
    zh: str = ""  # a fragment of the refusal's Chinese reason
    en: str = ""  # … and of its English one
    why: str = ""


VALID = [
    Case("510403195003121232", "resident", date(1950, 3, 12), why="西区 created 1983, born 1950"),
    Case("510402193811050027", "resident", date(1938, 11, 5), why="东区 created 1983, born 1938"),
    Case("510411196207183018", "resident", date(1962, 7, 18), why="仁和区 (created 1983), born 1962"),
    Case("320583195506201121", "resident", date(1955, 6, 20), why="昆山市 (city since 1989), born 1955"),
    Case("440305194609010064", "resident", date(1946, 9, 1), why="南山区 created 1990, born 1946"),
    Case("500103194104150072", "resident", date(1941, 4, 15), why="渝中区 code 50 since 1997, born 1941"),
    Case("460105196010012110", "resident", date(1960, 10, 1), why="秀英区 (Haikou, created 2002), born 1960"),
    Case("110108194901010047", "resident", date(1949, 1, 1), why="海淀区, a code stdnum knows"),
    Case("11010519491231002x", "resident", date(1949, 12, 31), why="lower-case x is the same number as X"),
    Case("810000199508150029", "hk_mo_tw", date(1995, 8, 15), why="Hong Kong residence permit"),
    Case("820000198803010042", "hk_mo_tw", date(1988, 3, 1), why="Macao residence permit"),
    Case("830000197206060057", "hk_mo_tw", date(1972, 6, 6), why="Taiwan residence permit"),
    Case("911840198507070013", "foreign", date(1985, 7, 7), why="2023 foreign card, Beijing, USA"),
    Case("931276196002290086", "foreign", date(1960, 2, 29), why="2023 foreign card, Shanghai, DEU"),
    Case("USA350068120101", "foreign", None, why="older permanent residence card: USA + 12 digits"),
    Case("FRA110080022901", "foreign", None, why="older permanent residence card: FRA + 12 digits"),
]

REFUSED = [
    Case("510403500312123", None, zh="2013年1月1日", en="first-generation", why="15-digit first generation"),
    Case("510403195003121233", None, zh="校验位", en="check digit", why="wrong check character"),
    Case("911840198507070014", None, zh="校验位", en="check digit", why="2023 foreign card, wrong check"),
    Case("51040319500312123", None, zh="有17位", en="this one has 17", why="one digit missing"),
    Case("5104031950031212321", None, zh="有19位", en="this one has 19", why="one digit too many"),
    Case("5104031950X3121232", None, zh="仅最后一位可以是X", en="except an X", why="X inside the number"),
    Case("510403209912310019", None, zh="在今天之后", en="in the future", why="born in 2099"),
    Case("51040319500230001X", None, zh="不存在", en="does not exist", why="30 February"),
    Case("510403189912310013", None, zh="早于1900年", en="before 1900", why="born in 1899"),
    Case("00000019500101001X", None, zh="0开头", en="starts with 0", why="no division starts with 0"),
    Case("US1234567890123", None, zh="仅最后一位可以是X", en="except an X", why="two letters, not three"),
]


def resident_number(i: int) -> str:
    """The i-th invented resident of 西区 born in 1990 (0 <= i < 365 000), with its check character
    computed by the check rule's own table (the rule itself is tested against python-stdnum)."""
    from datetime import timedelta

    from drivers.idcard.idnumber import check_character

    birth = date(1990, 1, 1) + timedelta(days=i // 999)
    first17 = f"510403{birth:%Y%m%d}{i % 999 + 1:03d}"
    return first17 + check_character(first17)
