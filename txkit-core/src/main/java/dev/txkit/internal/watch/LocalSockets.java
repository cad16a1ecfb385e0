package dev.txkit.internal.watch;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * This process's own TCP endpoints, to tell whether a database session the server reports (by its
 * client address and port) was opened by this JVM: the file descriptors in {@code /proc/self/fd}
 * name socket inodes, and {@code /proc/self/net/tcp} and {@code tcp6} map those inodes to local
 * addresses. Linux only; elsewhere the set is empty and nothing is attributed. Read on demand (the
 * probe thread only, when the server reports a lock wait txkit cannot place). Stateless.
 */
final class LocalSockets {
    private LocalSockets() {
    }

    /** Endpoints as {@code ip:port} (IPv4, also for IPv4-mapped IPv6) and {@code *:port} for every socket. */
    static Set<String> endpoints() {
        Set<String> inodes = socketInodes();
        Set<String> out = new HashSet<>();
        if (inodes.isEmpty()) {
            return out;
        }
        for (String table : new String[]{"/proc/self/net/tcp", "/proc/self/net/tcp6"}) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException | RuntimeException e) {
                continue;
            }
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).trim().split("\\s+");
                if (f.length > 9 && inodes.contains(f[9])) {
                    int colon = f[1].indexOf(':');
                    int port = Integer.parseInt(f[1].substring(colon + 1), 16);
                    String ip = ipv4(f[1].substring(0, colon));
                    if (ip != null) {
                        out.add(ip + ":" + port);
                    }
                    out.add("*:" + port);
                }
            }
        }
        return out;
    }

    /** Whether the session whose client end the server reports as {@code host:port} is one of ours. */
    static boolean ours(Set<String> endpoints, String host, int port) {
        if (host == null || port <= 0) {
            return false; // a Unix-domain socket: the server shows no client endpoint
        }
        if (host.indexOf(':') >= 0 && !host.startsWith("::ffff:")) {
            return endpoints.contains("*:" + port); // IPv6: the port alone, on this host's sockets
        }
        String v4 = host.startsWith("::ffff:") ? host.substring(7) : host;
        return endpoints.contains(v4 + ":" + port);
    }

    private static Set<String> socketInodes() {
        Set<String> inodes = new HashSet<>();
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return inodes;
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(fds)) {
            for (Path fd : dir) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException | RuntimeException e) {
                    // closed while we looked: not a socket of interest any more
                }
            }
        } catch (IOException | RuntimeException e) {
            return new HashSet<>();
        }
        return inodes;
    }

    /** {@code 0100007F} → 127.0.0.1; the IPv4-mapped tail of a tcp6 address; else null. */
    static String ipv4(String hex) {
        String word;
        if (hex.length() == 8) {
            word = hex;
        } else if (hex.length() == 32 && hex.startsWith("0000000000000000FFFF0000")) {
            word = hex.substring(24);
        } else {
            return null;
        }
        long v = Long.parseLong(word, 16); // little-endian on the platforms that have /proc
        return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff);
    }
}
