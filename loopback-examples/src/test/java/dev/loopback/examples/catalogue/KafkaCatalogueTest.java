package dev.loopback.examples.catalogue;

import dev.loopback.LoopbackSpace;
import dev.loopback.examples.catalogue.Measurement.Case;
import dev.loopback.examples.catalogue.Measurement.Subject;
import dev.loopback.examples.support.KafkaBroker;
import dev.loopback.junit.LoopbackSeed;
import dev.loopback.junit.LoopbackTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

@LoopbackTest
@LoopbackSeed(14)
@DisplayName("Catalogue: Kafka producer (request.timeout 1 s, delivery.timeout 2 s), send().get()")
class KafkaCatalogueTest extends CatalogueRow {

    static KafkaBroker broker;

    @BeforeAll
    static void start(LoopbackSpace classSpace) throws Exception {
        broker = KafkaBroker.start(classSpace);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Override
    String client() {
        return label("Kafka producer", KafkaProducer.class);
    }

    @Override
    List<Case> cases() {
        return Measurement.TCP;
    }

    /** The broker advertises one link, so every producer shares it: the faults of a row run one at a time. */
    @Override
    Subject open() {
        KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", broker.link().endpoint().hostPort(),
                "request.timeout.ms", 1_000,
                "delivery.timeout.ms", 2_000,
                "linger.ms", 0,
                "max.block.ms", 2_000,
                "reconnect.backoff.ms", 50,
                "reconnect.backoff.max.ms", 200), new StringSerializer(), new StringSerializer());
        return Subject.sharing(broker.link(),
                () -> "offset " + producer.send(new ProducerRecord<>("catalogue", "k", "v")).get().offset(),
                () -> producer.close(Duration.ZERO));
    }
}
