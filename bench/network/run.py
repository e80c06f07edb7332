"""Networks at scale (issue 16, part 7): a synthetic network of 200,000 entities and 1,000,000
links, through the shipped code end to end.

    .venv/bin/python bench/network/run.py                               # 200k / 1M
    .venv/bin/python bench/network/run.py --entities 20000 --links 100000

1. Seeds a node (`crossroads demo --jurisdictions AL`, SQLite with WAL) and writes a synthetic
   FtM file: persons with E.164 phones, companies, vehicles with plates, user accounts and
   addresses in planted groups of 50 (four links in five inside a group, the rest anywhere),
   joined by Call, Associate, Payment, Ownership and Employment links dated 2023-2025.
2. `crossroads ftm import FILE --case REF --user al_investigator` (the contract command).
3. The analytics as `queries.analysis` runs them (`analytics.analyse`: components, Leiden,
   betweenness from 64 sampled sources, degree) on the graph read through the policy
   (`queries.visible_graph`), and networkx on the very same edge list in the same process
   (connected components, Louvain — networkx has no Leiden of its own —, betweenness with
   k=64 sampled sources).
4. `GET /api/v1/network/entities/{id}/neighbours` for random entities, through the whole
   Django stack (middleware, bearer token, policy, audit), in-process: p50 and p95.
5. `crossroads ftm export` of the case, `ftm import` of that file into a second case, export
   of the second case: the counts and the ids of the two exports are compared.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.node import fresh_node_env  # noqa: E402

GROUP = 50
GIVEN = ["Arben", "Besnik", "Dritan", "Genc", "Ilir", "Luan", "Marko", "Nikola", "Stefan",
         "Emir", "Dino", "Arta", "Blerta", "Elira", "Teuta", "Jelena", "Vesna", "Ajla"]
FAMILY = ["Tafaj", "Sejdini", "Broka", "Kola", "Marku", "Doda", "Lika", "Vuka", "Hasa",
          "Rama", "Zeka", "Bala", "Cela", "Duka", "Gjoni", "Prela", "Nika", "Pali"]
LINKS = [("Call", "caller", "receiver", 0.55), ("Associate", "person", "associate", 0.2),
         ("Payment", "payer", "beneficiary", 0.1), ("Ownership", "owner", "asset", 0.08),
         ("Employment", "employee", "employer", 0.07)]


def _kind(i: int) -> str:
    """Entity i's schema: 70 % persons, 12 % companies, 8 % vehicles, 6 % accounts, 4 % addresses."""
    r = i % 50
    return ("Person" if r < 35 else "Company" if r < 41 else "Vehicle" if r < 45
            else "UserAccount" if r < 48 else "Address")


def generate(path: Path, n_entities: int, n_links: int, rng: random.Random) -> dict:
    counts: dict[str, int] = {}
    by_kind: dict[str, list[int]] = {}
    with path.open("w", encoding="utf-8") as out:
        for i in range(n_entities):
            schema = _kind(i)
            by_kind.setdefault(schema, []).append(i)
            if schema == "Person":
                props = {"name": [f"{rng.choice(GIVEN)} {rng.choice(FAMILY)} {i}"],
                         "phone": [f"+35569{i:07d}"]}
            elif schema == "Company":
                props = {"name": [f"Bar {rng.choice(FAMILY)} {i}"], "jurisdiction": ["al"]}
            elif schema == "Vehicle":
                props = {"name": [f"Van {i}"], "registrationNumber": [f"TR{i:06d}"]}
            elif schema == "UserAccount":
                props = {"username": [f"recruiter{i}"], "service": ["chat"]}
            else:
                props = {"full": [f"Rruga {i}, Durrës"]}
            out.write(json.dumps({"id": f"e{i}", "schema": schema, "properties": props}) + "\n")
            counts[schema] = counts.get(schema, 0) + 1
        persons = by_kind["Person"]
        parties = persons + by_kind["Company"]
        assets = by_kind["Company"] + by_kind["Vehicle"]
        employers = by_kind["Company"]
        weights = [w for *_rest, w in LINKS]

        def near(pool: list[int], anchor: int) -> int:
            """A member of `pool` in the anchor's group four times in five, else anyone."""
            if rng.random() < 0.8:
                group = anchor // GROUP
                for _ in range(8):
                    candidate = group * GROUP + rng.randrange(GROUP)
                    if candidate < n_entities and _kind(candidate) in _pool_kinds(pool):
                        return candidate
            return rng.choice(pool)

        kinds_of = {id(persons): {"Person"}, id(parties): {"Person", "Company"},
                    id(assets): {"Company", "Vehicle"}, id(employers): {"Company"}}

        def _pool_kinds(pool):
            return kinds_of[id(pool)]

        for j in range(n_links):
            schema, source_prop, target_prop, _w = rng.choices(LINKS, weights)[0]
            pools = {"Call": (persons, persons), "Associate": (persons, persons),
                     "Payment": (parties, parties), "Ownership": (persons, assets),
                     "Employment": (persons, employers)}[schema]
            source = rng.choice(pools[0])
            target = near(pools[1], source)
            if target == source:
                target = rng.choice(pools[1])
            day = f"{rng.randint(2023, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            props = {source_prop: [f"e{source}"], target_prop: [f"e{target}"],
                     "startDate": [day]}
            out.write(json.dumps({"id": f"l{j}", "schema": schema, "properties": props}) + "\n")
            counts[schema] = counts.get(schema, 0) + 1
    return counts


def timed_cli(cli, env, args, said: Path) -> tuple[float, int, float, str]:
    """Run a `crossroads` command; its time, exit code, the peak RSS of the largest child so
    far (getrusage: the first import is the largest) and the end of what it said."""
    began = time.perf_counter()
    with said.open("w") as out:
        code = subprocess.run([*cli, *args], env=env, stdout=out, stderr=subprocess.STDOUT,
                              check=False).returncode
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return time.perf_counter() - began, code, peak, said.read_text().strip()[-400:]


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} (1 / 5 / 15 min), {os.cpu_count()} cores"


def ids_and_count(path: Path) -> tuple[int, set[str]]:
    ids = set()
    n = 0
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                n += 1
                ids.add(json.loads(line)["id"])
    return n, ids


def compare(nodes: list[int], edges: list[tuple[int, int]], *, skip_networkx: bool) -> None:
    """The shipped analytics (igraph) and networkx on the same edge list, in this process."""
    from crossroads.networks import analytics

    results = {}
    cpu = {}
    began, used = time.perf_counter(), time.process_time()
    g, _ = analytics.graph(nodes, edges)
    results["igraph build"], cpu["igraph build"] = (time.perf_counter() - began,
                                                    time.process_time() - used)
    began, used = time.perf_counter(), time.process_time()
    components = g.connected_components()
    results["igraph components"], cpu["igraph components"] = (time.perf_counter() - began,
                                                              time.process_time() - used)
    began, used = time.perf_counter(), time.process_time()
    leiden = g.community_leiden(objective_function="modularity", n_iterations=2)
    results["igraph Leiden"], cpu["igraph Leiden"] = (time.perf_counter() - began,
                                                      time.process_time() - used)
    began, used = time.perf_counter(), time.process_time()
    _scores, sampled = analytics.betweenness(g)
    results["igraph betweenness"], cpu["igraph betweenness"] = (time.perf_counter() - began,
                                                                time.process_time() - used)
    began, used = time.perf_counter(), time.process_time()
    whole = analytics.analyse(nodes, edges)
    results["analytics.analyse (all of it)"], cpu["analytics.analyse (all of it)"] = (
        time.perf_counter() - began, time.process_time() - used)
    print(f"igraph: {len(components):,} components (largest {max(components.sizes()):,}), "
          f"{len(set(leiden.membership)):,} Leiden communities (modularity "
          f"{g.modularity(leiden.membership):.3f}), betweenness sampled: {sampled}; brokers "
          f"found {len(whole.brokers)}", flush=True)
    for name, value in results.items():
        print(f"    {name}: {value:.2f} s wall, {cpu[name]:.2f} s CPU", flush=True)

    if not skip_networkx:
        import networkx as nx

        began = time.perf_counter()
        h = nx.Graph()
        h.add_nodes_from(nodes)
        h.add_edges_from((a, b) for a, b in edges if a != b)
        results["networkx build"] = time.perf_counter() - began
        began = time.perf_counter()
        nx_components = list(nx.connected_components(h))
        results["networkx components"] = time.perf_counter() - began
        began = time.perf_counter()
        louvain = nx.community.louvain_communities(h, seed=0)
        results["networkx Louvain"] = time.perf_counter() - began
        began = time.perf_counter()
        # The same work as igraph: 64 sampled sources where it samples, every source where not.
        nx.betweenness_centrality(h, k=analytics.SAMPLE_SOURCES if sampled else None, seed=0,
                                  normalized=False)
        results["networkx betweenness"] = time.perf_counter() - began
        print(f"networkx: {len(nx_components):,} components, {len(louvain):,} Louvain "
              f"communities (modularity {nx.community.modularity(h, louvain):.3f})", flush=True)
        for name in ("components", "betweenness"):
            ours, theirs = results[f"igraph {name}"], results[f"networkx {name}"]
            print(f"    {name}: igraph {ours:.2f} s, networkx {theirs:.2f} s, "
                  f"networkx/igraph {theirs / ours:.1f}x", flush=True)
        print(f"    communities: igraph Leiden {results['igraph Leiden']:.2f} s, networkx Louvain "
              f"{results['networkx Louvain']:.2f} s, ratio "
              f"{results['networkx Louvain'] / results['igraph Leiden']:.1f}x", flush=True)
        print(f"    builds: igraph {results['igraph build']:.2f} s, networkx "
              f"{results['networkx build']:.2f} s; {load()}", flush=True)
        del h


def neighbours_route(investigator, case, requests: int) -> None:
    """The neighbours route for random entities of the case, through the whole stack."""
    from django.test import Client

    from crossroads.access.models import ApiToken
    from crossroads.networks.models import Entity

    token = ApiToken.issue(investigator, "bench", scope="read")[1]
    client = Client(headers={"Authorization": f"Bearer {token}"})
    ids = list(Entity.objects.filter(case=case).values_list("pk", flat=True))
    rng = random.Random(7)
    latencies, cpu, sizes = [], [], []
    for pk in rng.sample(ids, min(requests, len(ids))):
        began, used = time.perf_counter(), time.process_time()
        response = client.get(f"/api/v1/network/entities/{pk}/neighbours")
        latencies.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - used) * 1000)
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        sizes.append(len(body["links"]) + len(body["shared"]))
    latencies.sort()
    cpu.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(f"neighbours route: {len(latencies)} requests, p50 "
          f"{statistics.median(latencies):.0f} ms, p95 {p95:.0f} ms, max {latencies[-1]:.0f} ms "
          f"wall; CPU p50 {statistics.median(cpu):.0f} ms, p95 "
          f"{cpu[int(0.95 * (len(cpu) - 1))]:.0f} ms; median answer "
          f"{statistics.median(sizes):.0f} links; {load()}", flush=True)


def graph_of(path: Path) -> tuple[list[int], list[tuple[int, int]]]:
    """The file's entities and links as the analytics take them, without a database: entity
    `eN` is node N, a link joins its two ends (no shared-selector joins: every phone is
    distinct)."""
    from crossroads.networks.choices import LINK_ENDS

    nodes, edges = [], []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            data = json.loads(line)
            if data["schema"] in LINK_ENDS:
                first, second = LINK_ENDS[data["schema"]]
                edges.append((int(data["properties"][first][0][1:]),
                              int(data["properties"][second][0][1:])))
            else:
                nodes.append(int(data["id"][1:]))
    return nodes, edges


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=200_000)
    parser.add_argument("--links", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--skip-networkx", action="store_true")
    parser.add_argument("--graph-only", action="store_true",
                        help="generate and analyse in memory only (no node, import, API)")
    parser.add_argument("--neighbours-only", action="store_true",
                        help="only the neighbours route, on the node a full run left in --workdir")
    parser.add_argument("--source", type=Path, default=None,
                        help="with --graph-only: a file generated before (kept outside --workdir)")
    parser.add_argument("--workdir", type=Path,
                        default=Path(os.environ.get("TMPDIR", "/tmp")) / "crossroads-network-bench")  # noqa: S108
    args = parser.parse_args(argv)
    if args.neighbours_only:
        os.environ.update(CROSSROADS_DATA_DIR=str(args.workdir),
                          DJANGO_SETTINGS_MODULE="crossroads.settings.base")
        os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from crossroads.access.models import User
        from crossroads.networks.models import Entity

        investigator = User.objects.get(username="al_investigator")
        case_id = Entity.objects.order_by("id").values_list("case_id", flat=True).first()
        from crossroads.registry.models import Case

        neighbours_route(investigator, Case.objects.get(pk=case_id), args.requests)
        return 0
    env = fresh_node_env(args.workdir)
    cli = [sys.executable, "-m", "crossroads.cli"]
    print(f"start: {load()}", flush=True)
    if args.graph_only:
        source = args.source or args.workdir / "network.ftm.json"
        if not args.source:
            began = time.perf_counter()
            counts = generate(source, args.entities, args.links, random.Random(16))
            print(f"generated {args.entities:,} entities and {args.links:,} links in "
                  f"{time.perf_counter() - began:.1f} s: "
                  + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())), flush=True)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crossroads.settings.base")
        os.environ["CROSSROADS_DATA_DIR"] = str(args.workdir)
        import django

        django.setup()
        nodes, edges = graph_of(source)
        compare(nodes, edges, skip_networkx=args.skip_networkx)
        return 0
    subprocess.run([*cli, "demo", "--jurisdictions", "AL", "--cases", "10", "--logins",
                    str(args.workdir / "logins.json")], env=env, check=True,
                   stdout=subprocess.DEVNULL)

    # Django in this process too, on the node's database (after the demo made it).
    os.environ.update(CROSSROADS_DATA_DIR=str(args.workdir),
                      DJANGO_SETTINGS_MODULE="crossroads.settings.base")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from crossroads.access.models import User
    from crossroads.registry.models import Case

    investigator = User.objects.get(username="al_investigator")
    from crossroads.access.policy import CHANGE, restrict

    cases = list(restrict(Case.objects.filter(jurisdiction_id="AL"), investigator, CHANGE)
                 .order_by("id")[:2])
    first, second = cases
    source = args.workdir / "network.ftm.json"
    began = time.perf_counter()
    counts = generate(source, args.entities, args.links, random.Random(16))
    print(f"generated {args.entities:,} entities and {args.links:,} links in "
          f"{time.perf_counter() - began:.1f} s, {source.stat().st_size / 1e6:.0f} MB: "
          + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())), flush=True)

    seconds, code, peak, said = timed_cli(cli, env, [
        "ftm", "import", str(source), "--case", first.reference, "--user", "al_investigator",
        "--source", "synthetic benchmark"], args.workdir / "import1.out")
    print(f"ftm import: {seconds:.1f} s ({(args.entities + args.links) / seconds:,.0f} lines/s), "
          f"exit {code}, peak RSS {peak:.0f} MB; {said.splitlines()[-1] if said else ''}; {load()}",
          flush=True)
    if code:
        print(said)
        return 1

    from crossroads.networks import queries

    began = time.perf_counter()
    nodes, edges = queries.visible_graph(investigator)
    read = time.perf_counter() - began
    print(f"graph read through the policy: {len(nodes):,} entities, {len(edges):,} edges "
          f"(links and shared-selector joins) in {read:.1f} s", flush=True)
    compare(nodes, edges, skip_networkx=args.skip_networkx)

    neighbours_route(investigator, first, args.requests)

    # The round trip: export, import into a second case, export again.
    out_a, out_b = args.workdir / "export-a.json", args.workdir / "export-b.json"
    seconds, code, peak, said = timed_cli(cli, env, [
        "ftm", "export", "--case", first.reference, "--user", "al_investigator",
        "--out", str(out_a)], args.workdir / "export1.out")
    print(f"ftm export: {seconds:.1f} s, exit {code}, peak RSS {peak:.0f} MB", flush=True)
    seconds, code, peak, said = timed_cli(cli, env, [
        "ftm", "import", str(out_a), "--case", second.reference, "--user", "al_investigator",
        "--source", "round trip"], args.workdir / "import2.out")
    print(f"ftm import of the export into a second case: {seconds:.1f} s, exit {code}, "
          f"peak RSS {peak:.0f} MB", flush=True)
    seconds, code, peak, said = timed_cli(cli, env, [
        "ftm", "export", "--case", second.reference, "--user", "al_investigator",
        "--out", str(out_b)], args.workdir / "export2.out")
    n_in, ids_in = ids_and_count(source)
    n_a, ids_a = ids_and_count(out_a)
    n_b, ids_b = ids_and_count(out_b)
    same = n_in == n_a == n_b and ids_in == ids_a == ids_b
    print(f"round trip: generated {n_in:,} lines, export {n_a:,}, re-export {n_b:,}; ids equal: "
          f"{ids_in == ids_a == ids_b}; counts equal: {same}; {load()}", flush=True)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
