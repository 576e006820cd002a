package dev.loopback.examples.support;

import com.google.protobuf.StringValue;
import dev.loopback.Endpoint;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Context;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC-java server (Netty transport) with one unary method, {@code quotes.Quotes/Get}, that
 * answers {@code "quote for <symbol>"}. Messages are protobuf's {@code StringValue}, so no code
 * generation is needed. Two symbols steer the server, standing in for a slow backend:
 * {@code "hold"} is never answered, {@code "hold-first-attempt"} is answered only on a retry
 * (a call carrying gRPC's {@code grpc-previous-rpc-attempts} header), with that count in the answer.
 */
public final class GrpcQuoteServer implements AutoCloseable {

    /** The method, as a generated stub would describe it. */
    public static final MethodDescriptor<StringValue, StringValue> GET = MethodDescriptor.<StringValue, StringValue>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("quotes.Quotes", "Get"))
            .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
            .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
            .build();

    private static final Metadata.Key<String> PREVIOUS_ATTEMPTS =
            Metadata.Key.of("grpc-previous-rpc-attempts", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> ATTEMPTS = Context.key("previous-attempts");

    private final Server server;

    private GrpcQuoteServer(Server server) {
        this.server = server;
    }

    /** Starts the server on {@code endpoint}; it lets clients ping every second (keepalive). */
    public static GrpcQuoteServer start(Endpoint endpoint) throws IOException {
        ServerInterceptor attempts = new ServerInterceptor() {
            @Override
            public <Q, A> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, A> call, Metadata headers,
                    io.grpc.ServerCallHandler<Q, A> next) {
                String previous = headers.get(PREVIOUS_ATTEMPTS);
                return Contexts.interceptCall(Context.current().withValue(ATTEMPTS, previous == null ? "0" : previous),
                        call, headers, next);
            }
        };
        ServerServiceDefinition quotes = ServerServiceDefinition.builder("quotes.Quotes")
                .addMethod(GET, ServerCalls.asyncUnaryCall((request, answer) -> {
                    String symbol = request.getValue();
                    String previous = ATTEMPTS.get();
                    if (symbol.equals("hold") || (symbol.equals("hold-first-attempt") && previous.equals("0"))) {
                        return; // a backend that is slow to answer: the call stays open
                    }
                    answer.onNext(StringValue.of("quote for " + symbol + " (previous attempts: " + previous + ")"));
                    answer.onCompleted();
                }))
                .build();
        Server server = NettyServerBuilder.forAddress(endpoint.socketAddress())
                .addService(ServerInterceptors.intercept(quotes, attempts))
                .permitKeepAliveTime(1, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .build()
                .start();
        return new GrpcQuoteServer(server);
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
