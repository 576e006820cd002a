package dev.loopback.benchmarks.lease;

import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of a space's lifecycle — open, lease one host and hand out a kernel-assigned port on
 * it, close — next to the cost of the bare bind a free-port helper does, measured in the same run.
 * Sample time gives the median and the tail (p99) of single operations.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LeaseBenchmark {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /**
     * Opens a space, asks for an endpoint on host "a" (leasing the host), and closes the space.
     *
     * @return the endpoint, so the work is not eliminated
     */
    @Benchmark
    public Endpoint openEndpointClose() {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            return space.endpoint("a");
        }
    }

    /**
     * Binds a server socket to a kernel-assigned port of 127.0.0.1 and closes it: what every
     * free-port helper does.
     *
     * @return the port, so the work is not eliminated
     * @throws IOException if the socket cannot be bound
     */
    @Benchmark
    public int bareServerSocketBindClose() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, LOOPBACK)) {
            return socket.getLocalPort();
        }
    }
}
