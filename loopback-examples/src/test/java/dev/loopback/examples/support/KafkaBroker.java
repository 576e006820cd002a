package dev.loopback.examples.support;

import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpLink;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A single-node Kafka broker (KRaft, broker and controller in one process) running inside the JVM,
 * on a host of a {@link LoopbackSpace}, reached by clients through a {@link TcpLink}.
 *
 * <p>The point is the advertised listener: Kafka clients bootstrap from any address, then connect
 * to the addresses the broker advertises in its metadata. The {@code PLAINTEXT} listener advertises
 * the link's endpoint, so every client connection goes through the link and meets its faults. The
 * {@code DIRECT} listener advertises the broker's own address, as a broker configured without the
 * link in mind would: a client that bootstraps through {@link #directLink()} is routed around it.
 */
public final class KafkaBroker implements AutoCloseable {

    /** Brokers in one JVM share Kafka's metrics registries: each gets a node id of its own. */
    private static final java.util.concurrent.atomic.AtomicInteger NODE_IDS = new java.util.concurrent.atomic.AtomicInteger();

    private final KafkaRaftServer server;
    private final Path logDir;
    private final Endpoint plaintext;
    private final Endpoint direct;
    private final TcpLink link;
    private final TcpLink directLink;

    private KafkaBroker(KafkaRaftServer server, Path logDir, Endpoint plaintext, Endpoint direct, TcpLink link,
            TcpLink directLink) {
        this.server = server;
        this.logDir = logDir;
        this.plaintext = plaintext;
        this.direct = direct;
        this.link = link;
        this.directLink = directLink;
    }

    /** Formats a fresh log directory and starts the broker on host {@code "kafka"} of {@code space}. */
    public static KafkaBroker start(LoopbackSpace space) throws Exception {
        Endpoint plaintext = space.endpoint("kafka");
        Endpoint direct = space.endpoint("kafka");
        Endpoint controller = space.endpoint("kafka");
        TcpLink link = space.link("kafka", plaintext);
        TcpLink directLink = space.link("kafka-direct", direct);
        Path logDir = Files.createTempDirectory("loopback-kafka-");
        int nodeId = NODE_IDS.incrementAndGet();

        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(nodeId));
        props.put("controller.quorum.voters", nodeId + "@" + controller.hostPort());
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listeners", "PLAINTEXT://" + plaintext.hostPort() + ",DIRECT://" + direct.hostPort()
                + ",CONTROLLER://" + controller.hostPort());
        props.put("advertised.listeners", "PLAINTEXT://" + link.endpoint().hostPort()
                + ",DIRECT://" + direct.hostPort());
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,DIRECT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("num.partitions", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "2");
        props.put("background.threads", "2");
        props.put("log.cleaner.enable", "false");
        KafkaConfig config = KafkaConfig.fromProps(props);

        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(nodeId)
                .setClusterId(Uuid.randomUuid().toString())
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(logDir.toString())
                .addDirectory(logDir.toString())
                .run();
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        return new KafkaBroker(server, logDir, plaintext, direct, link, directLink);
    }

    /** Returns the link every client goes through: bootstrap from it, and the metadata points back to it. */
    public TcpLink link() {
        return link;
    }

    /** Returns a link to the {@code DIRECT} listener, whose metadata advertises the broker's own address. */
    public TcpLink directLink() {
        return directLink;
    }

    /** Returns where the {@code PLAINTEXT} listener listens (behind {@link #link()}). */
    public Endpoint plaintextListener() {
        return plaintext;
    }

    /** Returns where the {@code DIRECT} listener listens (behind {@link #directLink()}, and advertised). */
    public Endpoint directListener() {
        return direct;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        try (Stream<Path> files = Files.walk(logDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
