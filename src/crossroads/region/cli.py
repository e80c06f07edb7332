"""`crossroads region up [--nodes AL,RS] [--out region.json]`, `crossroads region restart
CODE|hub` and `crossroads region down`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .orchestrate import DEFAULT_NODES, down, parse_nodes, restart, up
from .processes import RegionError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crossroads region",
                                     description="A hub and demo nodes on this machine.")
    sub = parser.add_subparsers(dest="action", required=True)
    start = sub.add_parser("up", help="start a hub and the chosen nodes on loopback ports")
    start.add_argument("--nodes", default=DEFAULT_NODES,
                       help=f"comma-separated jurisdictions (default {DEFAULT_NODES})")
    start.add_argument("--persons", type=int, default=300, help="about how many per node")
    start.add_argument("--seed", type=int, default=2024)
    start.add_argument("--out", type=Path, default=Path("region.json"),
                       help="where to write URLs, databases and logins (default ./region.json)")
    start.add_argument("--base-port", type=int,
                       help="hub on this port, nodes on the next ones (default: free ports)")
    start.add_argument("--timeout", type=float, default=120,
                       help="seconds each server may take to answer")
    start.add_argument("--workers", type=int, default=1, choices=range(1, 9), metavar="N",
                       help="worker processes of each server (default 1)")
    again = sub.add_parser("restart", help="stop one instance's server and workers and start "
                                           "them again (same port, settings and data)")
    again.add_argument("code", help="a node's jurisdiction code, or hub")
    again.add_argument("--timeout", type=float, default=120,
                       help="seconds the server may take to answer")
    sub.add_parser("down", help="stop every process of the region (also one restarted by hand)")
    return parser


def _print_logins(title: str, instance: dict) -> None:
    print(f"\n{title:<8} {instance['url']}")
    for login in instance["logins"]:
        print(f"  {login['username']:<22} {login['password']:<28} {login['totp_secret']}")


def _print_region(region: dict, out: Path) -> None:
    _print_logins("Hub", region["hub"])
    for code, node in region["nodes"].items():
        _print_logins(f"{code} node", node)
    print(f"\nColumns: user name, password, authenticator secret (`oathtool --totp -b SECRET`).\n"
          f"Everything, with API tokens and database paths, is in {out.resolve()}.\n"
          "Stop the region with `crossroads region down`.")


def production_settings() -> bool:
    """Whether `crossroads` would load the production settings (no Django is loaded here)."""
    from crossroads.cli import default_settings_module

    module = os.environ.get("DJANGO_SETTINGS_MODULE") or default_settings_module()
    return module.endswith(".production")


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.action == "down":
            down()
            return 0
        if args.action == "restart":
            restart(args.code, timeout=args.timeout)
            return 0
        if production_settings():
            raise RegionError(
                "`region up` seeds demo nodes whose accounts have known passwords and is "
                "unavailable under production settings (CROSSROADS_ENV=production). Unset "
                "CROSSROADS_ENV (and DJANGO_SETTINGS_MODULE) to run the demo region on 127.0.0.1.")
        region = up(parse_nodes(args.nodes), seed=args.seed, persons=args.persons, out=args.out,
                    base_port=args.base_port, timeout=args.timeout, workers=args.workers)
    except RegionError as error:
        print(f"crossroads region: {error}", file=sys.stderr)
        return 2
    _print_region(region, args.out)
    return 0
