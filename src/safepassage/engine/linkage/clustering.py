"""From scored pairs to people and households: household-aware clustering of records into
persons, and household-level merge proposals.

Clustering is connected components over the linked pairs, with one constraint no generic
library enforces: two records of one household are never the same person (a family does not
list a member twice on one form), so a link that would put two of them in one cluster is
dropped. Links are taken strongest first (a greedy constrained single linkage), so the weaker
of two conflicting links is the one that goes. Then, when most members of household A are the
same people as members of household B, the two forms are probably one family entered twice,
and a household-level merge A ~ B is proposed with its member mapping.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = [
    "HouseholdMerge",
    "Link",
    "household_aware_clusters",
    "household_merges",
    "one_per_household",
]

Link = tuple[str, str, float]
"""Two record ids and the match weight linking them."""


class _Components:
    """Union-find over record ids, each component remembering its households."""

    def __init__(self, households: Mapping[str, str]) -> None:
        self._households = households
        self._parent: dict[str, str] = {}
        self._members: dict[str, set[str]] = {}

    def find(self, record_id: str) -> str:
        parent = self._parent.setdefault(record_id, record_id)
        if parent == record_id:
            self._members.setdefault(record_id, {self._households[record_id]})
            return record_id
        root = self.find(parent)
        self._parent[record_id] = root
        return root

    def union_if_allowed(self, left: str, right: str) -> bool:
        """Join the components of ``left`` and ``right`` unless they share a household."""
        left_root, right_root = self.find(left), self.find(right)
        if left_root == right_root:
            return True
        left_households, right_households = self._members[left_root], self._members[right_root]
        if not left_households.isdisjoint(right_households):
            return False
        if len(left_households) < len(right_households):
            left_root, right_root = right_root, left_root
        self._parent[right_root] = left_root
        self._members[left_root] |= self._members.pop(right_root)
        return True

    def components(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = defaultdict(list)
        for record_id in self._parent:
            grouped[self.find(record_id)].append(record_id)
        return grouped


def one_per_household(links: Iterable[Link], households: Mapping[str, str]) -> list[Link]:
    """The links that remain when each record may be the same person as at most one record
    of any other household (a family lists each member once), strongest first: a weaker link
    from a record to a second member of a household it already matches is dropped. This is
    what tells "Rashid" from his brother "Abdulrashid" when both are on two forms."""
    taken: set[tuple[str, str]] = set()
    kept = []
    for left, right, weight in sorted(links, key=lambda link: (-link[2], link[0], link[1])):
        left_side, right_side = (left, households[right]), (right, households[left])
        if left_side in taken or right_side in taken:
            continue
        taken.update((left_side, right_side))
        kept.append((left, right, weight))
    return kept


def household_aware_clusters(
    links: Iterable[Link], households: Mapping[str, str]
) -> list[tuple[str, ...]]:
    """Clusters of two or more record ids that are one person each.

    ``links`` are the pairs to join (already above the clustering threshold), ``households``
    maps every linked record id to its household id. Links are taken by descending weight and
    one that would put two records of the same household in one cluster is skipped. Clusters
    come back with sorted members, in order of their first member."""
    components = _Components(households)
    for left, right, _ in sorted(links, key=lambda link: (-link[2], link[0], link[1])):
        components.union_if_allowed(left, right)
    clusters = [tuple(sorted(members)) for members in components.components().values()]
    return sorted(cluster for cluster in clusters if len(cluster) > 1)


@dataclass(frozen=True, slots=True)
class HouseholdMerge:
    """A proposal that two households are one family entered twice: ``members`` maps records
    of ``left_household`` to the records of ``right_household`` that are the same people
    (one-to-one), ``left_size`` and ``right_size`` are the households' record counts and
    ``mean_weight`` the mean match weight of the mapped pairs."""

    left_household: str
    right_household: str
    members: tuple[tuple[str, str], ...]
    left_size: int
    right_size: int
    mean_weight: float


def household_merges(
    links: Iterable[Link],
    households: Mapping[str, str],
    household_sizes: Mapping[str, int],
) -> list[HouseholdMerge]:
    """Households whose members mostly match the members of another household.

    ``links`` are candidate same-person pairs (typically those at or above the review
    threshold), ``households`` maps record ids to household ids and ``household_sizes``
    gives each household's number of records. Members are mapped one to one, strongest link
    first; a merge is proposed when more than half of the smaller household is mapped."""
    by_households: dict[tuple[str, str], list[Link]] = defaultdict(list)
    for left, right, weight in links:
        left_household, right_household = households[left], households[right]
        if left_household == right_household:
            continue
        if left_household > right_household:
            left, right = right, left
            left_household, right_household = right_household, left_household
        by_households[(left_household, right_household)].append((left, right, weight))
    proposals = []
    for (left_household, right_household), pairs in sorted(by_households.items()):
        mapped: list[Link] = []
        used: set[str] = set()
        for left, right, weight in sorted(pairs, key=lambda link: (-link[2], link[0], link[1])):
            if left not in used and right not in used:
                used.update((left, right))
                mapped.append((left, right, weight))
        left_size = household_sizes.get(left_household, 0)
        right_size = household_sizes.get(right_household, 0)
        smaller = min(left_size, right_size) or len(mapped)
        if 2 * len(mapped) > smaller:
            proposals.append(
                HouseholdMerge(
                    left_household=left_household,
                    right_household=right_household,
                    members=tuple(sorted((left, right) for left, right, _ in mapped)),
                    left_size=left_size,
                    right_size=right_size,
                    mean_weight=sum(weight for _, _, weight in mapped) / len(mapped),
                )
            )
    return proposals
