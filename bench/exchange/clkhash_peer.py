"""The peer encoder: clkhash 0.18 on FEBRL 4, run in a throwaway virtualenv.

clkhash pins `cryptography<41`, which the project must not accept, so it is never
installed into the project's environment. run.py starts this script with the
interpreter of a separate venv (`--clkhash-python`, default /tmp/clkhash-venv):

    python3 -m venv /tmp/clkhash-venv && /tmp/clkhash-venv/bin/pip install clkhash==0.18.0
    /tmp/clkhash-venv/bin/python clkhash_peer.py SCHEMA.json IN.csv OUT.txt

and reads back one hex-encoded CLK per input row. It prints `SECONDS <hashing time>`.
"""

import sys
import time

from clkhash import clk
from clkhash.schema import from_json_file


def main() -> None:
    schema_path, input_path, output_path = sys.argv[1:4]
    with open(schema_path, encoding="utf-8") as handle:
        schema = from_json_file(handle)
    with open(input_path, encoding="utf-8") as handle:
        started = time.perf_counter()
        # One worker: the same single core the Crossroads encoder gets.
        filters = clk.generate_clk_from_csv(handle, "bench secret", schema, progress_bar=False, max_workers=1)
        seconds = time.perf_counter() - started
    with open(output_path, "w", encoding="ascii") as handle:
        handle.writelines(f"{bits.tobytes().hex()}\n" for bits in filters)
    print(f"SECONDS {seconds:.6f}")


if __name__ == "__main__":
    main()
