package dev.txkit.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process TCP proxy on loopback between a client and a PostgreSQL or MariaDB server, for
 * tests of lost connections. It forwards bytes both ways and recognises COMMIT in what the client
 * sends. Once {@linkplain #arm armed}, it cuts the connection carrying the next COMMIT, either
 * {@linkplain Cut#AFTER_COMMIT right after forwarding it} (the server commits, the client never
 * hears back: the outcome is unknown to it) or {@linkplain Cut#BEFORE_COMMIT instead of forwarding
 * it} (the server rolls back when it sees the connection go). Arming is one-shot. {@link #freeze()}
 * black-holes it instead: connections stay open and new ones are accepted, but no byte moves either
 * way until {@link #thaw()} — a network partition that drops packets, or a host that hangs.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.start(testDatabase)) {
 *     Database db = Database.create(proxy.newPool(4));
 *     proxy.arm(TcpProxy.Cut.AFTER_COMMIT);
 *     db.inTransaction(...);   // COMMIT_UNKNOWN
 * }
 * }</pre>
 *
 * <p>Thread-safe. Each proxied connection uses two daemon threads.
 */
public final class TcpProxy implements AutoCloseable {
    /** When an armed proxy cuts the connection that carries COMMIT. */
    public enum Cut {
        /** Forward the COMMIT, then close both sides before any reply reaches the client. */
        AFTER_COMMIT,
        /** Close both sides instead of forwarding the COMMIT. */
        BEFORE_COMMIT
    }

    private static final Pattern URL = Pattern.compile("^(jdbc:[a-z]+://)([^/?]+)(.*)$");

    private final DbKind protocol;
    private final String targetHost;
    private final int targetPort;
    private final TestDatabase database;
    private final ServerSocket listener;
    private final AtomicReference<Cut> armed = new AtomicReference<>();
    private final AtomicInteger commits = new AtomicInteger();
    private final AtomicInteger cuts = new AtomicInteger();
    private final Set<Pair> pairs = ConcurrentHashMap.newKeySet();
    private final List<HikariDataSource> pools = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private final Object gate = new Object();
    private boolean frozen; // guarded by gate

    private TcpProxy(DbKind protocol, String host, int port, TestDatabase database) throws IOException {
        this.protocol = protocol;
        this.targetHost = host;
        this.targetPort = port;
        this.database = database;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "txkit-proxy-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * A proxy to {@code host:port}, listening on a free loopback port.
     *
     * @param protocol the wire protocol to watch for COMMIT: {@link DbKind#POSTGRES} or {@link DbKind#MARIADB}
     * @param host the server's host
     * @param port the server's port
     * @return the running proxy; close it to stop it
     * @throws UncheckedIOException when no loopback port can be opened
     */
    public static TcpProxy start(DbKind protocol, String host, int port) {
        WireFraming.of(protocol); // fails fast for other kinds
        try {
            return new TcpProxy(protocol, host, port, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a loopback port for the proxy", e);
        }
    }

    /**
     * A proxy to the server of {@code db}; {@link #jdbcUrl()} and {@link #newPool} then reach {@code db}
     * through it.
     *
     * @param db a PostgreSQL or MariaDB test database
     * @return the running proxy; close it to stop it
     * @throws IllegalArgumentException when {@code db}'s URL names no host
     */
    public static TcpProxy start(TestDatabase db) {
        Matcher m = URL.matcher(db.jdbcUrl());
        if (!m.matches()) {
            throw new IllegalArgumentException("cannot find host:port in " + db.jdbcUrl());
        }
        String authority = m.group(2);
        int colon = authority.lastIndexOf(':');
        String host = colon < 0 ? authority : authority.substring(0, colon);
        int port = colon < 0 ? (db.kind() == DbKind.POSTGRES ? 5432 : 3306) : Integer.parseInt(authority.substring(colon + 1));
        WireFraming.of(db.kind());
        try {
            return new TcpProxy(db.kind(), host, port, db);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a loopback port for the proxy", e);
        }
    }

    /** {@return the loopback port clients connect to} */
    public int port() {
        return listener.getLocalPort();
    }

    /**
     * The test database's JDBC URL with the proxy as host (same database/schema). For PostgreSQL it
     * disables TLS, which the proxy could not look into.
     *
     * @return the URL through the proxy
     * @throws IllegalStateException when the proxy was started without a {@link TestDatabase}
     */
    public String jdbcUrl() {
        if (database == null) {
            throw new IllegalStateException("this proxy was started without a TestDatabase");
        }
        Matcher m = URL.matcher(database.jdbcUrl());
        if (!m.matches()) {
            throw new IllegalStateException("cannot rewrite " + database.jdbcUrl());
        }
        String url = m.group(1) + "127.0.0.1:" + port() + m.group(3);
        if (protocol == DbKind.POSTGRES) {
            url += (url.contains("?") ? "&" : "?") + "sslmode=disable";
        }
        return url;
    }

    /**
     * A HikariCP pool of connections through the proxy, with the test database's credentials; closed with
     * the proxy.
     *
     * @param maxSize the pool's maximum size
     * @return the pool
     */
    public HikariDataSource newPool(int maxSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(maxSize);
        config.setPoolName(database.name() + "-proxy-" + port());
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    /**
     * Cut the connection that carries the next COMMIT, as {@code cut} says.
     *
     * @param cut instead of forwarding the COMMIT, or right after forwarding it
     */
    public void arm(Cut cut) {
        armed.set(java.util.Objects.requireNonNull(cut, "cut"));
    }

    /**
     * Stops forwarding, both ways and on every connection (new ones too), without closing anything:
     * clients see a server that never answers, and neither side sees an error.
     */
    public void freeze() {
        synchronized (gate) {
            frozen = true;
        }
    }

    /** Forwards again what {@link #freeze()} held back, and everything after it. */
    public void thaw() {
        synchronized (gate) {
            frozen = false;
            gate.notifyAll();
        }
    }

    /** Blocks the forwarding thread while the proxy is frozen. */
    private void passGate() throws IOException {
        synchronized (gate) {
            while (frozen && !closed) {
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while the proxy was frozen");
                }
            }
        }
    }

    /** {@return whether the proxy is still waiting for a COMMIT to cut} */
    public boolean isArmed() {
        return armed.get() != null;
    }

    /** {@return how many COMMITs the proxy has seen so far, on all connections} */
    public int commitsSeen() {
        return commits.get();
    }

    /** {@return how many connections the proxy has cut so far} */
    public int cuts() {
        return cuts.get();
    }

    @Override
    public void close() {
        closed = true;
        thaw();
        for (HikariDataSource pool : pools) {
            pool.close();
        }
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing: nothing left to do with it
        }
        for (Pair p : pairs) {
            p.close();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                try {
                    server.connect(new InetSocketAddress(targetHost, targetPort), 5000);
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                Pair pair = new Pair(client, server);
                pairs.add(pair);
                pair.start();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("txkit TcpProxy: accept failed: " + e);
                }
                return;
            }
        }
    }

    /** One proxied connection. */
    private final class Pair {
        private final Socket client;
        private final Socket server;
        private volatile boolean severed;

        Pair(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            thread("c2s", this::clientToServer).start();
            thread("s2c", this::serverToClient).start();
        }

        private Thread thread(String dir, Runnable r) {
            Thread t = new Thread(r, "txkit-proxy-" + port() + "-" + dir + "-" + client.getPort());
            t.setDaemon(true);
            return t;
        }

        private void clientToServer() {
            WireFraming framing = WireFraming.of(protocol);
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(client.getInputStream()))) {
                OutputStream out = server.getOutputStream();
                WireFraming.Frame f;
                while ((f = framing.read(in)) != null) {
                    if (f.startsCommit()) {
                        commits.incrementAndGet();
                        if (armed.compareAndSet(Cut.BEFORE_COMMIT, null)) {
                            sever();
                            return;
                        }
                    }
                    passGate();
                    boolean cutAfter = f.completesCommit() && armed.compareAndSet(Cut.AFTER_COMMIT, null);
                    if (cutAfter) {
                        severed = true; // from now on no reply may reach the client
                    }
                    out.write(f.bytes());
                    out.flush();
                    if (cutAfter) {
                        sever();
                        return;
                    }
                }
            } catch (IOException e) {
                // either side went away: end the pair
            } finally {
                close();
            }
        }

        private void serverToClient() {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = server.getInputStream()) {
                OutputStream out = client.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    passGate();
                    if (severed) {
                        return;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side went away: end the pair
            } finally {
                close();
            }
        }

        private void sever() {
            severed = true;
            cuts.incrementAndGet();
            close();
        }

        void close() {
            severed = true;
            pairs.remove(this);
            try {
                client.close();
            } catch (IOException ignored) {
                // already gone
            }
            try {
                server.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }
}
