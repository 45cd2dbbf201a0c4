"""`python -m bench [WHICH]`: benchmarks side by side, as Markdown. WHICH: generate, generate-large,
import-large, http [h11|httptools], routing, transactions, imports, docs, all (the default), scale."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    which = argv[0] if argv else "all"
    if which in ("generate", "all"):
        from bench import generate_speed

        print("## make generate: renkei vs peers\n")
        print(generate_speed.to_markdown(generate_speed.run()))
        print()
    if which in ("http", "all"):
        from bench import http_endpoint

        print("## Generated endpoint vs bare Starlette\n")
        print(http_endpoint.main(argv[1:] if which == "http" else []))
        print()
    if which in ("routing", "all"):
        from bench import routing

        print("## Routing among 300 operations\n")
        print(routing.to_markdown(routing.run()))
        print()
    if which in ("transactions", "all"):
        from bench import transactions

        print("## List transactions on an account with 1,000,000 transactions\n")
        print(transactions.to_markdown(transactions.run()))
        print()
    if which in ("imports", "all"):
        from bench import import_time

        print("## Import time of the generated packages\n")
        print(import_time.to_markdown(import_time.run()))
        print()
    if which in ("docs", "all"):
        from bench import docs_speed

        print("## renkei docs on the three APIs\n")
        print(docs_speed.to_markdown(docs_speed.run()))
        print()
    if which == "generate-large":  # the 4 MB, 470-operation spec beside a peer; not part of `all`
        from bench import generate_large

        print("## Generation at Stripe size\n")
        print(generate_large.main(argv[1:]))
        print()
    if which == "import-large":  # imports of the code generated from the 4 MB spec; not part of `all`
        from bench import import_large

        print("## Importing the code generated at Stripe size\n")
        import_large.main(argv[1:])
        print()
    if which == "scale":  # a PostgreSQL database it may wipe (BENCH_POSTGRES_URL); not part of `all`
        from bench import scale

        print("## Scale-out: workers, PostgreSQL and SQLite beside hand-written FastAPI\n")
        print(scale.to_markdown(*scale.run(int(argv[1]) if len(argv) > 1 else 60)))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
