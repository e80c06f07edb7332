"""Connected components of matched pairs: one cluster per person."""

from collections.abc import Iterable


def connected_components(ids: Iterable[str], pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Map every id to its cluster id, the smallest id in its component."""
    parent: dict[str, str] = {record_id: record_id for record_id in ids}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for left, right in pairs:
        left_root, right_root = root(left), root(right)
        if left_root != right_root:
            low, high = sorted((left_root, right_root))
            parent[high] = low
    return {record_id: root(record_id) for record_id in parent}
