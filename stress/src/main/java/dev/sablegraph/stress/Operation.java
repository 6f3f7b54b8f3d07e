package dev.sablegraph.stress;

import java.util.SplittableRandom;

/** One kind of work: each call is one operation, one transaction or a few retries of it. */
interface Operation {
    String name();

    void run(SplittableRandom rnd);
}
