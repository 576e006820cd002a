package dev.loopback.internal.link;

import dev.loopback.Endpoint;
import dev.loopback.Fault;
import dev.loopback.FaultHandle;
import dev.loopback.Link;
import dev.loopback.LinkEvent;
import dev.loopback.Partition;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The control plane both link kinds build on: open checks, inject / remove / clear (all or
 * nothing), partition and heal, the journal, the engine-error count, and close. A protocol adds
 * its data path through the hooks, which tell it what changed; the state here is its own and the
 * protocol reads it through the accessors.
 *
 * <p>Threads: the public methods run on the caller's thread and never wait for data in flight;
 * the hooks run on the caller's thread too and hand work to the engine. The engine reports failures
 * through {@link #engineError}, which journals and counts and never closes the link, so no engine
 * thread ever waits for a caller's lock.
 *
 * @param <F> the faults the protocol applies
 */
public abstract class AbstractLink<F extends Fault> implements Link<F> {

    private static final System.Logger LOG = System.getLogger(AbstractLink.class.getName());

    private final String protocol;
    private final String name;
    private final Endpoint upstream;
    private final Runnable onClose;
    private final LinkJournal journal = new LinkJournal();
    private final FaultRegistry registry;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicReference<Cut> partitioned = new AtomicReference<>();
    private final AtomicLong engineErrors = new AtomicLong();

    /**
     * @param protocol the protocol as users name it ({@code "TCP"}, {@code "UDP"}), for messages
     * @param setup what the space hands to the link
     */
    protected AbstractLink(String protocol, LinkSetup setup) {
        this.protocol = protocol;
        this.name = setup.name();
        this.upstream = setup.upstream();
        this.onClose = setup.onClose();
        this.registry = new FaultRegistry(journal, setup.seed(), this::connectionsAccepted, this::changed);
    }

    // ---------------------------------------------------------------- Link

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Endpoint upstream() {
        return upstream;
    }

    @Override
    public final FaultHandle inject(F fault) {
        Objects.requireNonNull(fault, "fault");
        checkOpen("inject a fault");
        check(fault);
        return registry.add(fault);
    }

    @Override
    @SuppressWarnings("unchecked") // only F is ever added
    public final List<F> faults() {
        return Arrays.stream(registry.snapshot()).map(af -> (F) af.fault()).toList();
    }

    @Override
    public final void clear() {
        checkOpen("clear its faults");
        registry.clear();
    }

    @Override
    public final void partition() {
        partition(Partition.hold());
    }

    @Override
    public final void partition(Partition partition) {
        Objects.requireNonNull(partition, "partition");
        checkOpen("partition");
        synchronized (partitioned) {
            Cut now = partitioned.get();
            if (now != null && now.partition().equals(partition)) {
                return;
            }
            partitioned.set(new Cut(partition, System.nanoTime()));
            journal.add(LinkEvent.Type.PARTITIONED, 0, partition + ": " + partitionDetail(partition));
        }
        partitionChanged();
    }

    @Override
    public final void heal() {
        checkOpen("heal");
        if (partitioned.getAndSet(null) != null) {
            journal.add(LinkEvent.Type.HEALED, 0, "");
            partitionChanged();
        }
    }

    @Override
    public final boolean isPartitioned() {
        return partitioned.get() != null;
    }

    @Override
    public final List<LinkEvent> events() {
        return journal.list();
    }

    @Override
    public final void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        registry.discardAll();
        try {
            closeSockets();
        } finally {
            journal.add(LinkEvent.Type.CLOSED, 0, "link closed");
            onClose.run();
        }
    }

    @Override
    public final boolean isClosed() {
        return closed.get();
    }

    @Override
    public String toString() {
        return protocol + "Link[" + name + " " + endpoint().hostPort() + " -> " + upstream.hostPort()
                + (isClosed() ? ", closed" : "") + "]";
    }

    // ---------------------------------------------------------------- for the protocol

    /** Returns the active faults, in injection order (lock-free; never modify the array). */
    protected final ActiveFault[] activeFaults() {
        return registry.snapshot();
    }

    /**
     * A partition in force: what it does and since when ({@link System#nanoTime()}). A new value
     * every time the link is partitioned anew, so a protocol can tell a switch by identity.
     */
    public record Cut(Partition partition, long since) {}

    /** Returns the partition in force, or null while the link is healed (lock-free). */
    protected final @Nullable Cut partitionNow() {
        return partitioned.get();
    }

    protected final LinkJournal journal() {
        return journal;
    }

    /** Returns how many engine errors were counted. */
    protected final long engineErrors() {
        return engineErrors.get();
    }

    /**
     * Records that the engine failed while serving connection or client mapping {@code id} (0: the
     * link itself): journals an {@link LinkEvent.Type#ENGINE_ERROR} event carrying {@code error},
     * counts it and logs it. The caller has already reset or dropped what failed; the link stays open.
     *
     * @param consequence what the link did about it, for the journal ("connection reset both ways")
     */
    public final void engineError(long id, String consequence, Throwable error) {
        journal.add(LinkEvent.Type.ENGINE_ERROR, id, consequence + ": " + error, error);
        engineErrors.incrementAndGet();
        LOG.log(Level.WARNING, protocol + " link '" + name + "' failed serving #" + id + " (" + consequence + ")", error);
    }

    /** Throws the link-closed exception if the link is closed. */
    protected final void checkOpen(String action) {
        if (closed.get()) {
            throw new IllegalStateException(protocol + " link '" + name + "' is closed (it listened on "
                    + endpoint().hostPort() + "); cannot " + action);
        }
    }

    private void changed() {
        if (!closed.get()) {
            faultsChanged();
        }
    }

    // ---------------------------------------------------------------- hooks

    /**
     * Checks what the type system cannot: an option of {@code fault} this protocol refuses.
     *
     * @throws IllegalArgumentException naming the option and why
     */
    protected void check(F fault) {}

    /** How many connections or client mappings the link has accepted so far (any thread). */
    protected abstract long connectionsAccepted();

    /**
     * The active faults changed (caller's thread): act on live connections. If this throws during an
     * injection, the fault is taken back and this is called again.
     */
    protected abstract void faultsChanged();

    /** The link was partitioned or healed (caller's thread): act on live connections. */
    protected abstract void partitionChanged();

    /** What {@code partition} does on this protocol, for the journal. */
    protected abstract String partitionDetail(Partition partition);

    /** Closes the listening socket and every connection (caller's thread; may wait for the engine). */
    protected abstract void closeSockets();
}
