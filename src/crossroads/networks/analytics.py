"""Graph analytics of a network with python-igraph: connected components, Leiden communities
(modularity), brokers (betweenness; estimated from a random sample of sources on large
graphs, scaled to the whole), hubs (degree) and shortest paths. Works on plain edge lists, so
the benchmark feeds it the same graph as the peer (networkx)."""

import random
from dataclasses import dataclass

import igraph

# Above this many vertices betweenness is estimated from SAMPLE_SOURCES random sources.
EXACT_BETWEENNESS_UP_TO = 5_000
SAMPLE_SOURCES = 64
TOP = 20


@dataclass
class Analysis:
    components: list[list[int]]    # node ids, largest first
    communities: list[list[int]]   # node ids, largest first
    brokers: list[tuple[int, float]]
    hubs: list[tuple[int, int]]
    sampled: bool


def graph(nodes: list[int], edges: list[tuple[int, int]]) -> tuple[igraph.Graph, list[int]]:
    index = {node: i for i, node in enumerate(nodes)}
    g = igraph.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in edges
                                          if a in index and b in index and a != b])
    g.simplify()
    return g, nodes


def betweenness(g: igraph.Graph, *, seed: int = 0) -> tuple[list[float], bool]:
    if g.vcount() <= EXACT_BETWEENNESS_UP_TO:
        return g.betweenness(directed=False), False
    sources = random.Random(seed).sample(range(g.vcount()), SAMPLE_SOURCES)
    scale = g.vcount() / SAMPLE_SOURCES
    return [b * scale for b in g.betweenness(directed=False, sources=sources)], True


def _groups(membership: list[int], nodes: list[int]) -> list[list[int]]:
    groups: dict[int, list[int]] = {}
    for i, group in enumerate(membership):
        groups.setdefault(group, []).append(nodes[i])
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


def analyse(nodes: list[int], edges: list[tuple[int, int]], *, seed: int = 0) -> Analysis:
    g, nodes = graph(nodes, edges)
    random.seed(seed)
    components = _groups(g.connected_components().membership, nodes)
    communities = _groups(g.community_leiden(objective_function="modularity",
                                             n_iterations=2).membership, nodes)
    scores, sampled = betweenness(g, seed=seed)
    ranked = sorted(range(len(nodes)), key=lambda i: -scores[i])[:TOP]
    degrees = g.degree()
    hubs = sorted(range(len(nodes)), key=lambda i: -degrees[i])[:TOP]
    return Analysis(components, communities,
                    [(nodes[i], scores[i]) for i in ranked if scores[i] > 0],
                    [(nodes[i], degrees[i]) for i in hubs if degrees[i] > 0], sampled)


def shortest_path(nodes: list[int], edges: list[tuple[int, int]], start: int, end: int
                  ) -> list[int]:
    """The node ids from `start` to `end` on a shortest path ([] if they are not joined)."""
    g, nodes = graph(nodes, edges)
    index = {node: i for i, node in enumerate(nodes)}
    path = g.get_shortest_paths(index[start], to=index[end], output="vpath")[0]
    return [nodes[i] for i in path]
