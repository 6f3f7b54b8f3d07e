package dev.sablegraph.stress;

import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.Node;
import dev.sablegraph.core.WriteConflictException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Changes the Item graph, one transaction per step: add items (with links), delete items (their
 * edges first, in the same transaction: deleteNode is refused while edges remain), change
 * properties and the Hot label, add, change and delete LINK edges (self-loops included). Adds and
 * deletes are weighted so the live population hovers around the target. Conflicts are counted,
 * not retried: the next step picks afresh.
 */
final class GraphChurn implements Operation {
    private final Context ctx;

    GraphChurn(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public String name() {
        return "graph churn";
    }

    /** A step's body: null when it found nothing to do, else what to record once it committed. */
    private interface Step {
        Runnable apply(Transaction tx, SplittableRandom rnd);
    }

    @Override
    public void run(SplittableRandom rnd) {
        long live = ctx.pool().live();
        int target = ctx.targetItems();
        int add = live < target / 2 ? 60 : live < target ? 15 : 4;
        int delete = live > target ? 20 : live > target / 2 ? 10 : 0;
        // Weights: add and delete as above; update 28, Hot label 6, link 30, change link 10,
        // rolled-back write 3, unlink 6 (with deleted items' edges, about as many go as come).
        int r = rnd.nextInt(add + delete + 83);
        Step step;
        if ((r -= add) < 0) {
            step = this::addItem;
        } else if ((r -= delete) < 0) {
            step = this::deleteItem;
        } else if ((r -= 28) < 0) {
            step = this::updateItem;
        } else if ((r -= 6) < 0) {
            step = this::toggleHot;
        } else if ((r -= 30) < 0) {
            step = this::link;
        } else if ((r -= 10) < 0) {
            step = this::changeLink;
        } else if ((r -= 3) < 0) {
            abortedWrite(rnd);
            return;
        } else {
            step = this::unlink;
        }
        inTransaction(step, rnd);
    }

    private void inTransaction(Step step, SplittableRandom rnd) {
        try (Transaction tx = ctx.db().begin()) {
            Runnable committed = step.apply(tx, rnd);
            if (committed == null) {
                tx.rollback();
                ctx.stats().idle.increment();
                return;
            }
            tx.commit();
            ctx.stats().commits.increment();
            committed.run();
        } catch (WriteConflictException e) {
            ctx.stats().conflict(this);
        }
    }

    /**
     * Writes that are rolled back: a node labelled {@link Fixture#ABORTED} and an item moved to the
     * poison group. No snapshot may ever see either (RollbackInvariant).
     */
    private void abortedWrite(SplittableRandom rnd) {
        try (Transaction tx = ctx.db().begin()) {
            long id = visibleItem(tx, rnd);
            long ghost = tx.addNode(Set.of(Fixture.ABORTED, Fixture.ITEM), Items.newProperties(rnd));
            if (id >= 0) {
                tx.setNodeProperty(id, Items.GROUP, Fixture.POISON_GROUP);
                tx.addEdge(ghost, id, Fixture.LINK, Map.of());
            }
            tx.rollback();
            ctx.stats().idle.increment();
        } catch (WriteConflictException e) {
            ctx.stats().conflict(this);
        }
    }

    /** A remembered item visible in this snapshot, or -1. */
    private long visibleItem(Transaction tx, SplittableRandom rnd) {
        for (int tries = 0; tries < 6; tries++) { // slots of deleted items are skipped
            long id = ctx.pool().pick(rnd);
            if (id >= 0 && tx.getNode(id).isPresent()) {
                return id;
            }
        }
        return -1;
    }

    private Runnable addItem(Transaction tx, SplittableRandom rnd) {
        Set<String> labels = rnd.nextInt(5) == 0 ? Set.of(Fixture.ITEM, Fixture.HOT) : Set.of(Fixture.ITEM);
        long id = tx.addNode(labels, Items.newProperties(rnd));
        for (int links = rnd.nextInt(3); links > 0; links--) {
            long other = visibleItem(tx, rnd);
            if (other >= 0) {
                boolean outgoing = rnd.nextBoolean();
                tx.addEdge(outgoing ? id : other, outgoing ? other : id, Fixture.LINK, Map.of("w", rnd.nextLong(100)));
            }
        }
        return () -> ctx.pool().created(id, rnd);
    }

    private Runnable deleteItem(Transaction tx, SplittableRandom rnd) {
        long id = visibleItem(tx, rnd);
        if (id < 0) {
            return null;
        }
        for (Edge e : tx.edges(id, Direction.BOTH, null)) {
            tx.deleteEdge(e.id());
        }
        tx.deleteNode(id);
        return ctx.pool()::deleted;
    }

    private Runnable updateItem(Transaction tx, SplittableRandom rnd) {
        long id = visibleItem(tx, rnd);
        if (id < 0) {
            return null;
        }
        switch (rnd.nextInt(6)) {
            case 0 -> tx.setNodeProperty(id, Items.GROUP, (long) rnd.nextInt(Fixture.GROUPS));
            case 1 -> tx.setNodeProperty(id, Items.TAG, Items.tag(rnd));
            case 2 -> {
                Node n = tx.getNode(id).orElseThrow();
                tx.setNodeProperty(id, Items.WEIGHT, (Long) n.properties().get(Items.WEIGHT) + 1);
            }
            case 3 -> {
                if (rnd.nextBoolean()) {
                    tx.removeNodeProperty(id, Items.NAME);
                } else {
                    tx.setNodeProperty(id, Items.NAME, "item-" + rnd.nextInt(1_000_000));
                }
            }
            case 4 -> tx.setNodeProperty(id, Items.RUN, Items.run(rnd));
            default -> { // payload and its CRC change together or not at all
                byte[] payload = Items.payload(rnd);
                tx.setNodeProperty(id, Items.PAYLOAD, payload);
                tx.setNodeProperty(id, Items.CRC, Items.crc(payload));
            }
        }
        return () -> {};
    }

    private Runnable toggleHot(Transaction tx, SplittableRandom rnd) {
        long id = visibleItem(tx, rnd);
        if (id < 0) {
            return null;
        }
        if (!tx.addLabel(id, Fixture.HOT)) {
            tx.removeLabel(id, Fixture.HOT);
        }
        return () -> {};
    }

    private Runnable link(Transaction tx, SplittableRandom rnd) {
        long from = visibleItem(tx, rnd);
        long to = rnd.nextInt(20) == 0 ? from : visibleItem(tx, rnd); // now and then a self-loop
        if (from < 0 || to < 0) {
            return null;
        }
        tx.addEdge(from, to, Fixture.LINK, Map.of("w", rnd.nextLong(100)));
        return () -> {};
    }

    private Runnable changeLink(Transaction tx, SplittableRandom rnd) {
        Edge e = someLink(tx, rnd);
        if (e == null) {
            return null;
        }
        if (rnd.nextInt(3) == 0) {
            tx.removeEdgeProperty(e.id(), "w");
        } else {
            tx.setEdgeProperty(e.id(), "w", rnd.nextLong(100));
        }
        return () -> {};
    }

    private Runnable unlink(Transaction tx, SplittableRandom rnd) {
        Edge e = someLink(tx, rnd);
        if (e == null) {
            return null;
        }
        tx.deleteEdge(e.id());
        // Sometimes a second one at the same node: several edge changes in one commit. Our own
        // deletion already hides the first from this list.
        List<Edge> more = tx.edges(e.from(), Direction.BOTH, Fixture.LINK);
        if (!more.isEmpty() && rnd.nextBoolean()) {
            tx.deleteEdge(more.get(rnd.nextInt(more.size())).id());
        }
        return () -> {};
    }

    private Edge someLink(Transaction tx, SplittableRandom rnd) {
        long id = visibleItem(tx, rnd);
        if (id < 0) {
            return null;
        }
        List<Edge> links = tx.edges(id, Direction.BOTH, Fixture.LINK);
        return links.isEmpty() ? null : links.get(rnd.nextInt(links.size()));
    }
}
