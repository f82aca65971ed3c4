"""The policies compared on the same day's arrivals."""

from __future__ import annotations

from dataclasses import replace

from .demand import Variant
from .model import Policy, Post, Scenario


def dedicated(sc: Scenario) -> Policy:
    """What many halls do today: each window serves only its own items, first come first served."""
    windows = tuple(replace(w, skills={i: 1 for i, lv in w.skills.items() if lv == 1}) for w in sc.windows)
    return Policy("dedicated", "专窗专办 先到先办 / dedicated windows, FCFS", windows, "fcfs")


def pooled(sc: Scenario) -> Policy:
    """Every window serves every item, first come first served (综合窗口 / 一窗通办)."""
    windows = tuple(replace(w, skills=dict.fromkeys(sc.items, 1)) for w in sc.windows)
    return Policy("pooled", "全窗通办 先到先办 / fully pooled, FCFS", windows, "fcfs")


def pooled_within_skills(sc: Scenario) -> Policy:
    """Pooling as far as the hall file allows: an item that only one window holds (in the example hall
    the police post's 户政 items, which no other clerk may handle) stays with that window, which serves
    only such items; every other window serves every other item, first come first served. A yardstick
    for what any routing rule or backup layout could reach while those items stay where they are."""
    holders: dict[str, set[str]] = {}
    for w in sc.windows:
        for item in w.skills:
            holders.setdefault(item, set()).add(w.code)
    only = {item for item, codes in holders.items() if len(codes) == 1}
    keep = {code for item in only for code in holders[item]}
    rest = sorted(set(sc.items) - only)
    windows = tuple(
        replace(w, skills={i: 1 for i in sorted(w.skills) if i in only})
        if w.code in keep
        else replace(w, skills=dict.fromkeys(rest, 1))
        for w in sc.windows
    )
    label = "可通办处全窗通办 / pooled where the skills allow, FCFS"
    return Policy("pooled_within_skills", label, windows, "fcfs")


def ours(sc: Scenario) -> Policy:
    """The product: the hall file's skills with backup posts, through domain/routing.py."""
    return Policy("ours", "本系统 分级+AB岗 / our routing with backup posts", sc.windows, "routing")


def variant(sc: Scenario, v: Variant) -> Policy:
    """Ours with one window more (a copy of `add`), or with window `move` re-posted like `like` (its
    clerk then knows that trade), or with the `backup` windows holding more items as backup posts."""
    posts = {w.code: w for w in sc.windows}
    if v.add is not None:
        windows = (*sc.windows, plus_one(sc.windows, posts[v.add]))
    elif v.backup:
        items = {i for c in v.items_of for i in posts[c].home} if v.items_of else set(sc.items)
        trained = set(posts) if "*" in v.backup else set(v.backup)
        windows = tuple(
            replace(w, skills={**dict.fromkeys(sorted(items), v.level), **w.skills})
            if w.code in trained
            else w
            for w in sc.windows
        )
    else:
        assert v.move is not None and v.like is not None
        like = posts[v.like]
        moved = replace(posts[v.move], zone=like.zone, skills=dict(like.skills), home=like.home)
        windows = tuple(moved if w.code == v.move else w for w in sc.windows)
    return Policy(v.name, v.label, windows, "routing")


def plus_one(windows: tuple[Post, ...], like: Post) -> Post:
    n = 2
    while any(w.code == f"{like.code}-{n}" for w in windows):
        n += 1
    return replace(like, code=f"{like.code}-{n}")


def compared(sc: Scenario, variants: list[Variant]) -> list[Policy]:
    return [dedicated(sc), pooled(sc), ours(sc), *(variant(sc, v) for v in variants)]
