package dev.loopback.examples.catalogue;

import com.google.protobuf.StringValue;
import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpLink;
import dev.loopback.examples.catalogue.Measurement.Case;
import dev.loopback.examples.catalogue.Measurement.Subject;
import dev.loopback.examples.support.GrpcQuoteServer;
import dev.loopback.junit.LoopbackSeed;
import dev.loopback.junit.LoopbackTest;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

@LoopbackTest
@LoopbackSeed(14)
@DisplayName("Catalogue: grpc-java over Netty, unary call with a 1 s deadline, no retry policy")
class GrpcCatalogueTest extends CatalogueRow {

    static LoopbackSpace space;
    static Endpoint upstream;
    static GrpcQuoteServer server;
    static final AtomicInteger LINKS = new AtomicInteger();

    @BeforeAll
    static void start(LoopbackSpace classSpace) throws Exception {
        space = classSpace;
        upstream = space.endpoint("grpc");
        server = GrpcQuoteServer.start(upstream);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Override
    String client() {
        return label("gRPC: grpc-java over Netty", ManagedChannel.class, NettyChannelBuilder.class);
    }

    @Override
    List<Case> cases() {
        return Measurement.TCP;
    }

    @Override
    Subject open() {
        TcpLink link = space.link("grpc-" + LINKS.incrementAndGet(), upstream);
        ManagedChannel channel = NettyChannelBuilder.forAddress(link.endpoint().socketAddress()).usePlaintext().build();
        return Subject.of(link, () -> ClientCalls.blockingUnaryCall(channel, GrpcQuoteServer.GET,
                CallOptions.DEFAULT.withDeadlineAfter(1, TimeUnit.SECONDS), StringValue.of("ACME")).getValue(),
                channel::shutdownNow);
    }
}
