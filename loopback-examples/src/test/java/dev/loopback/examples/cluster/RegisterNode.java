package dev.loopback.examples.cluster;

import dev.loopback.Endpoint;
import dev.loopback.examples.support.LineClient;
import dev.loopback.examples.support.LineServer;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The system under test of {@link ReplicatedRegisterScenarioTest}: one node of a replicated
 * register with Raft's election rules (terms, one vote per term, a vote only for a candidate whose
 * value is at least as recent) and majority-acknowledged writes. Nodes talk a line protocol over
 * TCP, one long-lived connection per peer, dropped and redialled after any failure; a peer that
 * does not answer within 1 s (generous, for loaded build machines) counts as down. Elections and
 * writes are driven by the test (no timers), so every run is a sequence of explicit steps.
 */
final class RegisterNode implements AutoCloseable {

    /** A write's position: its leader's term, then its index within that term. */
    record Version(long term, long index) implements Comparable<Version> {
        @Override
        public int compareTo(Version other) {
            return term != other.term ? Long.compare(term, other.term) : Long.compare(index, other.index);
        }
    }

    private static final Duration RPC_TIMEOUT = Duration.ofSeconds(1);

    private final String name;
    private final int clusterSize;
    private final LineServer server;
    private final Map<String, Endpoint> peers;
    private final Map<String, LineClient> connections = new ConcurrentHashMap<>();
    private final ExecutorService rpc = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "register-rpc");
        t.setDaemon(true);
        return t;
    });

    // guarded by this
    private long term;
    private String votedFor;
    private boolean leader;
    private long nextIndex;
    private Version version = new Version(0, 0);
    private String value = "";

    /** Serves on {@code listener}; reaches each peer at the address {@code peers} gives for it. */
    RegisterNode(String name, ServerSocketChannel listener, Map<String, Endpoint> peers) {
        this.name = name;
        this.peers = Map.copyOf(peers);
        this.clusterSize = peers.size() + 1;
        this.server = LineServer.start(listener, this::handle);
    }

    /** Stands for election in a new term; returns the term won, or -1 if no majority voted for it. */
    long campaign() {
        long t;
        Version mine;
        synchronized (this) {
            t = ++term;
            votedFor = name;
            leader = false;
            mine = version;
        }
        int votes = 1 + broadcast("VOTE " + t + " " + name + " " + mine.term() + " " + mine.index(), "YES");
        synchronized (this) {
            if (term == t && votes > clusterSize / 2) {
                leader = true;
                nextIndex = 1;
                return t;
            }
            return -1;
        }
    }

    /** Writes {@code v} if this node believes it leads; returns its version if a majority stored it, else null. */
    Version write(String v) {
        Version ver;
        synchronized (this) {
            if (!leader) {
                return null;
            }
            ver = new Version(term, nextIndex++);
            version = ver;
            value = v;
        }
        int acks = 1 + broadcast("APPEND " + ver.term() + " " + name + " " + ver.index() + " " + v, "OK");
        return acks > clusterSize / 2 ? ver : null;
    }

    synchronized Version version() {
        return version;
    }

    synchronized String value() {
        return value;
    }

    String name() {
        return name;
    }

    private synchronized String handle(String line) {
        String[] m = line.split(" ", 5);
        long t = Long.parseLong(m[1]);
        if (t > term) {
            term = t;
            votedFor = null;
            leader = false;
        }
        if (m[0].equals("VOTE")) {
            Version candidate = new Version(Long.parseLong(m[3]), Long.parseLong(m[4]));
            boolean grant = t == term && (votedFor == null || votedFor.equals(m[2])) && candidate.compareTo(version) >= 0;
            if (grant) {
                votedFor = m[2];
            }
            return (grant ? "YES " : "NO ") + term;
        }
        if (t < term) { // APPEND from a deposed leader
            return "NO " + term;
        }
        Version v = new Version(t, Long.parseLong(m[3]));
        if (v.compareTo(version) > 0) {
            version = v;
            value = m[4];
        }
        return "OK " + term;
    }

    /** Sends {@code line} to every peer at once; returns how many answered {@code yes}. */
    private int broadcast(String line, String yes) {
        List<Future<String>> answers = new ArrayList<>();
        for (String peer : peers.keySet()) {
            answers.add(rpc.submit(() -> ask(peer, line)));
        }
        int count = 0;
        for (Future<String> answer : answers) {
            String reply;
            try {
                reply = answer.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                continue;
            }
            if (reply == null) {
                continue;
            }
            String[] r = reply.split(" ");
            stepDownIfBehind(Long.parseLong(r[1]));
            if (r[0].equals(yes)) {
                count++;
            }
        }
        return count;
    }

    private synchronized void stepDownIfBehind(long peerTerm) {
        if (peerTerm > term) {
            term = peerTerm;
            votedFor = null;
            leader = false;
        }
    }

    /** One request on the peer's connection; null if the peer did not answer (the connection is then dropped). */
    private String ask(String peer, String line) {
        synchronized (peers.get(peer)) {
            try {
                LineClient c = connections.get(peer);
                if (c == null) {
                    c = LineClient.connect(peers.get(peer), RPC_TIMEOUT);
                    connections.put(peer, c);
                }
                return c.ask(line);
            } catch (IOException e) {
                LineClient broken = connections.remove(peer);
                if (broken != null) {
                    try {
                        broken.close();
                    } catch (IOException ignored) {
                        // already broken
                    }
                }
                return null;
            }
        }
    }

    @Override
    public void close() throws IOException {
        rpc.shutdownNow();
        server.close();
        for (LineClient c : connections.values()) {
            c.close();
        }
    }
}
