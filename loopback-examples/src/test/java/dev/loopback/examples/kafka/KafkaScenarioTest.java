package dev.loopback.examples.kafka;

import static dev.loopback.junit.LoopbackAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.loopback.Fault;
import dev.loopback.FaultHandle;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpLink;
import dev.loopback.examples.support.KafkaBroker;
import dev.loopback.junit.LoopbackTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

@LoopbackTest
@Execution(ExecutionMode.SAME_THREAD) // the tests share one broker, and its link's faults would reach each other
@DisplayName("Kafka: clients of an in-JVM KRaft broker whose advertised listener is the link")
class KafkaScenarioTest {

    static KafkaBroker broker;

    @BeforeAll
    static void startBroker(LoopbackSpace space, TestReporter reporter) throws Exception {
        long start = System.nanoTime();
        broker = KafkaBroker.start(space);
        reporter.publishEntry("observed", "broker (KRaft, broker + controller) started in "
                + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    static KafkaProducer<String, String> producer(TcpLink bootstrap) {
        return new KafkaProducer<>(Map.of(
                "bootstrap.servers", bootstrap.endpoint().hostPort(),
                "enable.idempotence", true,
                "acks", "all",
                "linger.ms", 5,
                "request.timeout.ms", 3_000,
                "delivery.timeout.ms", 60_000,
                "reconnect.backoff.ms", 50,
                "reconnect.backoff.max.ms", 500), new StringSerializer(), new StringSerializer());
    }

    static KafkaConsumer<String, String> consumer(TcpLink bootstrap, Map<String, Object> tuning) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                "bootstrap.servers", bootstrap.endpoint().hostPort(),
                "reconnect.backoff.ms", 50,
                "reconnect.backoff.max.ms", 500));
        config.putAll(tuning);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    /** Reads the whole partition from the beginning, until {@code expected} records have arrived. */
    static List<String> readAll(TcpLink bootstrap, String topic, int expected) {
        try (KafkaConsumer<String, String> consumer = consumer(bootstrap, Map.of())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<String> values = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> values.add(r.value()));
                return values.size() >= expected;
            });
            assertThat(broker.plaintextListener()).isReachedOnlyThrough(broker.link());
            return values;
        }
    }

    @Test
    @DisplayName("connections reset mid-stream: the idempotent producer delivers 1000 records once each, in order")
    void idempotentProducerSurvivesResets(TestReporter reporter) throws Exception {
        TcpLink link = broker.link();
        long resetsBefore = link.stats().resets();
        AtomicInteger acked = new AtomicInteger();
        List<Exception> failed = new CopyOnWriteArrayList<>();
        double retries;
        try (KafkaProducer<String, String> producer = producer(link)) {
            for (int i = 0; i < 1000; i++) {
                producer.send(new ProducerRecord<>("orders", "order", Integer.toString(i)), (metadata, e) -> {
                    if (e != null) {
                        failed.add(e);
                    } else {
                        acked.incrementAndGet();
                    }
                });
                if (i == 300) {
                    producer.flush();
                    FaultHandle reset = link.inject(Fault.reset()); // every live connection, and new ones while active
                    await().atMost(Duration.ofSeconds(10)).until(() -> link.stats().resets() > resetsBefore);
                    reset.remove();
                }
            }
            producer.flush();
            retries = producer.metrics().entrySet().stream()
                    .filter(m -> m.getKey().name().equals("record-retry-total")
                            && m.getKey().group().equals("producer-metrics"))
                    .mapToDouble(m -> ((Number) m.getValue().metricValue()).doubleValue()).sum();
        }
        assertThat(failed).isEmpty();
        assertThat(acked).hasValue(1000);

        List<String> values = readAll(link, "orders", 1000);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            expected.add(Integer.toString(i));
        }
        assertThat(values).containsExactlyElementsOf(expected);
        reporter.publishEntry("observed", (link.stats().resets() - resetsBefore) + " connection(s) reset; 1000 of 1000"
                + " records acknowledged, read back once each and in order (" + (long) retries + " record retries)");
    }

    @Test
    @DisplayName("bandwidth(64 KiB/s) to the consumer: it lags 1 MiB behind; removed, it catches up")
    void consumerLagsUnderBandwidthAndCatchesUp(TestReporter reporter) throws Exception {
        TcpLink link = broker.link();
        String payload = "x".repeat(1024);
        try (KafkaProducer<String, String> producer = producer(link)) {
            for (int i = 0; i < 1024; i++) {
                producer.send(new ProducerRecord<>("prices", Integer.toString(i), payload));
            }
            producer.flush();
        }
        TopicPartition partition = new TopicPartition("prices", 0);
        try (KafkaConsumer<String, String> consumer = consumer(link, Map.of("max.partition.fetch.bytes", 32 * 1024))) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            int consumed = 0;
            long throttledFor;
            try (FaultHandle slow = link.inject(Fault.bandwidth(64 * 1024).toClient())) {
                long start = System.nanoTime();
                while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3)) {
                    consumed += consumer.poll(Duration.ofMillis(200)).count();
                }
                throttledFor = (System.nanoTime() - start) / 1_000_000;
                long lag = consumer.currentLag(partition).orElse(1024 - consumed);
                assertThat(consumed).isBetween(1, 600); // 64 KiB/s for ~3 s is ~192 records, with generous slack
                assertThat(lag).isPositive();
                assertThat(broker.plaintextListener()).isReachedOnlyThrough(link);
            }
            long start = System.nanoTime();
            int[] total = {consumed};
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                total[0] += consumer.poll(Duration.ofMillis(100)).count();
                return total[0] >= 1024;
            });
            reporter.publishEntry("observed", consumed + " of 1024 records (1 KiB each) in " + throttledFor
                    + " ms at 64 KiB/s, the rest lagging; removed: caught up in "
                    + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
    }

    @Test
    @DisplayName("a listener that advertises the broker's own address: clients go around the link, and the assertion says so")
    void advertisedAddressAroundTheLinkIsCaught(TestReporter reporter) throws Exception {
        TcpLink bypassed = broker.directLink();
        try (KafkaProducer<String, String> producer = producer(bypassed)) {
            producer.send(new ProducerRecord<>("audit", "k", "before")).get(30, TimeUnit.SECONDS);

            bypassed.partition(); // the fault the test believes it injected...
            producer.send(new ProducerRecord<>("audit", "k", "during")).get(10, TimeUnit.SECONDS); // ...never applies
            assertThatThrownBy(() -> assertThat(broker.directListener()).isReachedOnlyThrough(bypassed))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("bypassed it")
                    .satisfies(e -> reporter.publishEntry("observed", "partitioned, yet the producer got its ack;"
                            + " isReachedOnlyThrough: " + e.getMessage().lines().findFirst().orElse("")));
            bypassed.heal();
        }
    }
}
