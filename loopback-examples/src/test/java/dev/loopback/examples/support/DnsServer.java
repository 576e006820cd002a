package dev.loopback.examples.support;

import dev.loopback.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * An authoritative DNS server over UDP, built on dnsjava's message classes: it answers every A
 * query with {@link #ANSWER} and counts the queries it received.
 */
public final class DnsServer implements AutoCloseable {

    /** The address every name resolves to (TEST-NET-1, RFC 5737: documentation only, never dialled). */
    public static final String ANSWER = "192.0.2.42";

    private final DatagramChannel channel;
    private final Thread thread;
    private final AtomicInteger queries = new AtomicInteger();

    private DnsServer(DatagramChannel channel) {
        this.channel = channel;
        this.thread = new Thread(this::serve, "dns-server");
        thread.setDaemon(true);
    }

    /** Starts answering on {@code endpoint}. */
    public static DnsServer start(Endpoint endpoint) throws IOException {
        DnsServer server = new DnsServer(DatagramChannel.open().bind(endpoint.socketAddress()));
        server.thread.start();
        return server;
    }

    /** Returns where the server receives. */
    public Endpoint endpoint() throws IOException {
        return Endpoint.of((InetSocketAddress) channel.getLocalAddress());
    }

    /** Returns how many queries arrived, retries included. */
    public int queries() {
        return queries.get();
    }

    private void serve() {
        ByteBuffer buffer = ByteBuffer.allocate(512);
        try {
            while (true) {
                buffer.clear();
                SocketAddress client = channel.receive(buffer);
                buffer.flip();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                queries.incrementAndGet();
                channel.send(ByteBuffer.wrap(answer(bytes)), client);
            }
        } catch (IOException closed) {
            // the server was closed: done
        }
    }

    private static byte[] answer(byte[] query) throws IOException {
        Message request;
        try {
            request = new Message(query);
        } catch (IOException malformed) {
            return new byte[0]; // a corrupted query gets an empty datagram, which the client rejects
        }
        Message response = new Message(request.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        response.getHeader().setRcode(Rcode.NOERROR);
        response.addRecord(request.getQuestion(), Section.QUESTION);
        response.addRecord(new ARecord(request.getQuestion().getName(), DClass.IN, 60,
                InetAddress.getByName(ANSWER)), Section.ANSWER);
        return response.toWire(512);
    }

    @Override
    public void close() throws Exception {
        channel.close();
        thread.join(5_000);
    }
}
