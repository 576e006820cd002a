package dev.loopback.internal.tcp;

import dev.loopback.internal.engine.EventLoop;
import dev.loopback.internal.engine.Handler;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One socket of a connection — the client's or the upstream's — registered with the loop: it is the
 * source of one pump and the destination of the other, turns readiness into their calls, and keeps
 * its interest in line with what they want. An I/O error on it (the peer reset, a broken pipe) goes
 * to the connection, which resets the other side too; anything else its handlers throw is an
 * engine error of the connection. Loop thread only.
 */
final class Side implements Handler {

    private final Connection connection;
    private final String name;
    private final SocketChannel channel;
    private Pump in;
    private Pump out;
    private SelectionKey key;
    private int ops;
    private boolean connecting;

    Side(Connection connection, String name, SocketChannel channel) {
        this.connection = connection;
        this.name = name;
        this.channel = channel;
    }

    /** Connects the pumps: {@code in} reads this socket, {@code out} writes it. */
    void pumps(Pump in, Pump out) {
        this.in = in;
        this.out = out;
    }

    void register(EventLoop loop, boolean connecting) throws ClosedChannelException {
        this.connecting = connecting;
        ops = connecting ? SelectionKey.OP_CONNECT : 0;
        key = loop.register(channel, ops, this);
    }

    void connected() {
        connecting = false;
    }

    boolean isConnecting() {
        return connecting;
    }

    String name() {
        return name;
    }

    SocketChannel channel() {
        return channel;
    }

    @Override
    public void ready(int readyOps) {
        try {
            if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
                connection.finishConnect();
                return;
            }
            if ((readyOps & SelectionKey.OP_WRITE) != 0) {
                out.onWritable();
            }
            if ((readyOps & SelectionKey.OP_READ) != 0 && !connection.isClosed()) {
                in.onReadable();
            }
        } catch (IOException e) {
            connection.failed(this, e);
        }
    }

    @Override
    public void failed(Throwable error) {
        connection.engineError(error);
    }

    /** Brings the key's interest in line with what the pumps want. */
    void interest() {
        if (key == null || !key.isValid()) {
            return;
        }
        int want = connecting ? SelectionKey.OP_CONNECT : 0;
        if (in != null && in.wantsRead()) {
            want |= SelectionKey.OP_READ;
        }
        if (out != null && out.wantsWrite()) {
            want |= SelectionKey.OP_WRITE;
        }
        if (want != ops) {
            ops = want;
            key.interestOps(want);
        }
    }
}
