package dev.sablegraph.gremlin;

import dev.sablegraph.concurrent.Transaction;
import org.apache.tinkerpop.gremlin.structure.util.AbstractThreadLocalTransaction;
import org.apache.tinkerpop.gremlin.structure.util.TransactionException;

/**
 * TinkerPop's thread-bound transaction over Sable: each thread that reads or writes through the
 * graph works in its own snapshot-isolated Sable {@link Transaction}, opened on first use (TinkerPop's
 * AUTO read-write behaviour) and ended by {@code commit()} or {@code rollback()}. A write-write
 * conflict surfaces as Sable's {@link dev.sablegraph.core.WriteConflictException} from the write or
 * from {@code commit()}; after it the transaction only rolls back.
 */
final class SableTransaction extends AbstractThreadLocalTransaction {
    private final SableGraph graph;
    private final ThreadLocal<Session> current = new ThreadLocal<>();

    SableTransaction(SableGraph graph) {
        super(graph);
        this.graph = graph;
    }

    /** This thread's session, opening the transaction as the read-write behaviour says. */
    Session session() {
        readWrite();
        Session s = current.get();
        if (s == null) {
            throw org.apache.tinkerpop.gremlin.structure.Transaction.Exceptions.transactionMustBeOpenToReadWrite();
        }
        return s;
    }

    @Override
    protected void doOpen() {
        current.set(new Session(graph.database().begin()));
    }

    @Override
    protected void doCommit() throws TransactionException {
        Session s = current.get();
        current.remove();
        try {
            s.tx.commit();
        } finally {
            s.tx.close();
        }
    }

    @Override
    protected void doRollback() throws TransactionException {
        Session s = current.get();
        current.remove();
        s.tx.close(); // rolls back: the transaction neither committed nor rolled back
    }

    @Override
    public boolean isOpen() {
        return current.get() != null;
    }
}
