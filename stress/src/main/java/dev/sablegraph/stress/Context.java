package dev.sablegraph.stress;

import dev.sablegraph.concurrent.ConcurrentGraphDB;

/** What every operation of one workload shares: the open database and the run's bookkeeping. */
record Context(ConcurrentGraphDB db, Fixture fixture, CounterLedger ledger, ItemPool pool, RunStats stats,
        FaultStats faults, Violations violations, Watchdog watchdog, int targetItems) {}
