package dev.loopback.testing.tcp;

import dev.loopback.Link;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Blocking test clients. */
public final class Clients {

    private Clients() {}

    /** Connects to {@code link} with a 30 s read timeout. */
    public static Socket connect(Link link) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(link.endpoint().address(), link.endpoint().port()), 10_000);
        s.setSoTimeout(30_000);
        return s;
    }
}
