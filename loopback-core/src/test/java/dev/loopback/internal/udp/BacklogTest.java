package dev.loopback.internal.udp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.Direction;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BacklogTest {

    private final Flow toServer = new Flow(null, Direction.TO_SERVER);
    private final Flow toClient = new Flow(null, Direction.TO_CLIENT);

    @Test
    void givesBackEveryDatagramByteExactInOrderAcrossSegmentsWhileBeingDrained() {
        Backlog backlog = new Backlog(64L << 20);
        ArrayDeque<byte[]> expected = new ArrayDeque<>();
        ArrayDeque<Flow> expectedFlows = new ArrayDeque<>();
        SplittableRandom random = new SplittableRandom(7);
        long offered = 0;
        for (int round = 0; round < 20; round++) {
            // Offer more than is removed, so the backlog grows over several segments, then drain it.
            int offers = round < 10 ? 900 : 300;
            for (int i = 0; i < offers; i++) {
                byte[] datagram = new byte[random.nextInt(0, 9000)];
                random.nextBytes(datagram);
                Flow flow = random.nextBoolean() ? toServer : toClient;
                assertThat(backlog.offer(flow, ByteBuffer.wrap(datagram))).isTrue();
                expected.add(datagram);
                expectedFlows.add(flow);
                offered += datagram.length;
            }
            int removes = round < 10 ? 600 : expected.size();
            for (int i = 0; i < removes; i++) {
                assertThat(backlog.peekFlow()).isSameAs(expectedFlows.poll());
                ByteBuffer view = backlog.peek();
                byte[] actual = new byte[view.remaining()];
                view.get(actual);
                assertThat(actual).isEqualTo(expected.poll());
                backlog.remove();
            }
        }
        assertThat(offered).as("enough bytes to span many 1 MiB segments").isGreaterThan(20L * Backlog.SEGMENT_BYTES);
        assertThat(backlog.isEmpty()).isTrue();
    }

    @Test
    void refusesADatagramBeyondItsCapacityWithoutTakingAnyOfIt() {
        Backlog backlog = new Backlog(10_000);
        ByteBuffer thousand = ByteBuffer.allocate(1000);
        for (int i = 0; i < 10; i++) {
            assertThat(backlog.offer(toServer, thousand.clear())).isTrue();
        }
        ByteBuffer one = ByteBuffer.allocate(1);
        assertThat(backlog.offer(toServer, one)).isFalse();
        assertThat(one.remaining()).as("nothing consumed").isEqualTo(1);

        backlog.remove();
        assertThat(backlog.offer(toServer, thousand.clear())).as("room again after one left").isTrue();
        assertThat(backlog.offer(toServer, one)).isFalse();
    }

    @Test
    void keepsEmptyDatagramsInTheirPlace() {
        Backlog backlog = new Backlog(1 << 20);
        backlog.offer(toServer, ByteBuffer.wrap(new byte[] {1}));
        backlog.offer(toClient, ByteBuffer.allocate(0));
        backlog.offer(toServer, ByteBuffer.wrap(new byte[] {2, 3}));

        assertThat(backlog.peek().remaining()).isEqualTo(1);
        backlog.remove();
        assertThat(backlog.peekFlow()).isSameAs(toClient);
        assertThat(backlog.peek().remaining()).isZero();
        backlog.remove();
        ByteBuffer last = backlog.peek();
        assertThat(last.remaining()).isEqualTo(2);
        assertThat(last.get(last.position() + 1)).isEqualTo((byte) 3);
        backlog.remove();
        assertThat(backlog.isEmpty()).isTrue();
    }

    @Test
    void givesBackAnEmptyDatagramThatEndsWhatWasWritten() {
        Backlog backlog = new Backlog(1 << 20);
        backlog.offer(toServer, ByteBuffer.wrap(new byte[] {1}));
        backlog.offer(toClient, ByteBuffer.allocate(0));
        backlog.remove();

        assertThat(backlog.peekFlow()).isSameAs(toClient);
        assertThat(backlog.peek().remaining()).isZero();
        backlog.remove();
        assertThat(backlog.isEmpty()).isTrue();
        assertThat(backlog.offer(toServer, ByteBuffer.wrap(new byte[] {4}))).isTrue();
        assertThat(backlog.peek().get()).isEqualTo((byte) 4);
    }

    @Test
    void peekShowsTheOldestDatagramsInOrderAcrossSegmentsAndStopsWhereTheVisitorSays() {
        Backlog backlog = new Backlog(64L << 20);
        List<byte[]> offered = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(8);
        for (int i = 0; i < 200; i++) { // 200 x up to 20,000 bytes: several 1 MiB segments
            byte[] datagram = new byte[i % 17 == 0 ? 0 : random.nextInt(1, 20_000)];
            random.nextBytes(datagram);
            backlog.offer(i % 2 == 0 ? toServer : toClient, ByteBuffer.wrap(datagram));
            offered.add(datagram);
        }
        for (int i = 0; i < 70; i++) {
            backlog.remove(); // the head is now inside a later segment
        }

        List<byte[]> seen = new ArrayList<>();
        int taken = backlog.peek(64, (index, flow, bytes) -> {
            assertThat(index).isEqualTo(seen.size());
            assertThat(flow).isSameAs((70 + index) % 2 == 0 ? toServer : toClient);
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            seen.add(copy);
            return true;
        });
        assertThat(taken).isEqualTo(64);
        assertThat(seen).containsExactlyElementsOf(offered.subList(70, 134));

        assertThat(backlog.peek(64, (index, flow, bytes) -> index < 5)).as("stopped by the visitor").isEqualTo(5);
        assertThat(backlog.peek(1000, (index, flow, bytes) -> true)).as("all that wait").isEqualTo(130);
        assertThat(backlog.peek().remaining()).as("peeking removes nothing").isEqualTo(offered.get(70).length);
    }
}
