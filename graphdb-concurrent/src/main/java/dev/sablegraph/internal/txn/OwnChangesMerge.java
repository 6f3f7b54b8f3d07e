package dev.sablegraph.internal.txn;

import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.function.LongFunction;
import java.util.function.Predicate;

/**
 * What a transaction reads from a list of committed candidates: each candidate resolved at its
 * snapshot, merged in id order with the transaction's own changes, which replace the committed
 * state of the same id (a deletion hides it). Lazy: each step resolves at most the candidates it
 * skips. The own changes are copied when the merge is made, so later writes of the transaction do
 * not reach it.
 *
 * @param <T> a node or edge
 */
public final class OwnChangesMerge<T> implements Iterator<T> {
    private final Iterator<Long> candidates;
    private final TreeMap<Long, T> own = new TreeMap<>(); // null value: deleted here
    private final LongFunction<T> committed;
    private final Predicate<T> matches;
    private long peeked = -1; // next committed candidate not yet resolved, -1 for none
    private T pending;

    /**
     * @param candidates ids ascending whose committed state may match: a superset is fine, every
     *        candidate is resolved and tested
     * @param ownChanges the transaction's changes of this kind of entity
     * @param committed the committed state of an id at the snapshot, null when it sees none
     * @param matches which states belong in the result
     */
    public OwnChangesMerge(Iterator<Long> candidates, Map<Long, WriteSet.Change<T>> ownChanges,
            LongFunction<T> committed, Predicate<T> matches) {
        this.candidates = candidates;
        this.committed = committed;
        this.matches = matches;
        for (Map.Entry<Long, WriteSet.Change<T>> c : ownChanges.entrySet()) {
            own.put(c.getKey(), c.getValue().after());
        }
    }

    @Override
    public boolean hasNext() {
        while (pending == null) {
            if (peeked < 0 && candidates.hasNext()) {
                peeked = candidates.next();
            }
            Long ownFirst = own.isEmpty() ? null : own.firstKey();
            if (peeked < 0 && ownFirst == null) {
                return false;
            }
            T t;
            if (ownFirst != null && (peeked < 0 || ownFirst <= peeked)) {
                if (ownFirst == peeked) {
                    peeked = -1; // the own change replaces the committed state
                }
                t = own.pollFirstEntry().getValue();
            } else {
                long id = peeked;
                peeked = -1;
                t = committed.apply(id);
            }
            if (t != null && matches.test(t)) {
                pending = t;
            }
        }
        return true;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T t = pending;
        pending = null;
        return t;
    }
}
