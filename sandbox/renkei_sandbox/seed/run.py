"""Create the schema and seed the database on first start."""

from __future__ import annotations

from renkei_sandbox.db.engine import Database
from renkei_sandbox.db.migrate import upgrade_head
from renkei_sandbox.progress import progress_bar
from renkei_sandbox.seed.seeder import SeedSummary, has_seed_data, seed

DEFAULT_CUSTOMERS = 50
DEFAULT_YEARS = 2
DEFAULT_SEED = 1


def prepare_database(
    db: Database,
    customers: int = DEFAULT_CUSTOMERS,
    years: int = DEFAULT_YEARS,
    seed_number: int = DEFAULT_SEED,
) -> SeedSummary | None:
    """Migrate to head; seed when the database holds no data yet (with a progress bar on a terminal).
    Returns what was seeded, if anything."""
    upgrade_head(db.engine)
    with db.write_session() as session, session.begin():
        if has_seed_data(session):
            return None
        with progress_bar("first start: seeding demo customers", customers) as advance:
            return seed(session, customers, years, seed_number, progress=advance)
