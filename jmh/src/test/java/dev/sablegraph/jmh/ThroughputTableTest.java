package dev.sablegraph.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Each run of the table gets its own result file, whatever the name given to --json. */
class ThroughputTableTest {
    @Test
    void theRunSuffixGoesBeforeTheExtension() {
        assertEquals("out-t1.json", ThroughputTable.perRun("out.json", "-t1"));
        assertEquals("out-floor-t50.json", ThroughputTable.perRun("out.json", "-floor-t50"));
    }

    @Test
    void aNameWithoutTheExtensionStillGetsOneFilePerRun() {
        assertEquals("results-t2.json", ThroughputTable.perRun("results", "-t2"));
        assertEquals("a.json.d/x-t2.json", ThroughputTable.perRun("a.json.d/x", "-t2"));
    }
}
